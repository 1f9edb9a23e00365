/* hello.c — a bare libmicrohttpd hello-world server: the ceiling for the list endpoint.  Same
 * daemon flags, thread pool and limits as src/web/server.c (MHD_USE_AUTO |
 * MHD_USE_INTERNAL_POLLING_THREAD, one thread per core) and, like it, answers on the second
 * call of the access handler so keep-alive is kept.  127.0.0.1 only.
 *
 *   hello PORT [SECONDS [BYTES]]
 * serves for SECONDS (default 60), then exits.  BYTES (default: a 19-byte JSON object) sets the
 * size of the answer, e.g. to the size of a list page, to see what moving that many bytes over
 * loopback costs by itself. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char hello[] = "{\"hello\":\"world\"}\n";
static struct MHD_Response *resp;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	static int first_marker;
	(void)cls, (void)url, (void)method, (void)version, (void)upload_data;
	if (!*con_cls) {
		*con_cls = &first_marker; /* answer on the second call: keeps keep-alive */
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	*con_cls = NULL;
	return MHD_queue_response(conn, MHD_HTTP_OK, resp);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: hello PORT [SECONDS]\n");
		return 2;
	}
	int port = atoi(argv[1]);
	int secs = argc > 2 ? atoi(argv[2]) : 60;
	size_t bytes = argc > 3 ? (size_t)atol(argv[3]) : 0;
	const char *body = hello;
	size_t len = sizeof hello - 1;
	if (bytes > len) { /* a JSON string of that many bytes in all */
		char *b = malloc(bytes);
		if (!b)
			return 1;
		memset(b, 'x', bytes);
		memcpy(b, "{\"x\":\"", 6);
		memcpy(b + bytes - 3, "\"}\n", 3);
		body = b, len = bytes;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cores > 0 ? cores : 2),
		MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "hello: cannot listen on 127.0.0.1:%d\n", port);
		return 1;
	}
	printf("hello serving on http://127.0.0.1:%d for %d s\n", port, secs);
	fflush(stdout);
	sleep((unsigned)secs);
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	return 0;
}

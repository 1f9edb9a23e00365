/* multipart.c — the strict multipart/form-data reader (web/multipart.h; why hand-written is said
 * there): the Content-Type's boundary, then delimiter by delimiter over the body in memory, each
 * part's header block read line by line.  No allocation: names live in buffers on the stack. */
#include "web/multipart.h"
#include "base/utf8.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_tchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* RFC 2046 §5.1.1 bchars (space included; the last character may not be one). */
static int is_bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("'()+_,-./:=? ", c));
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A parameter "name=value" at *pp (after its ';' and blanks), value a token or a quoted string
 * (no backslash escapes: browsers percent-encode '"' in names, RFC 7578 §2 / HTML).  The name
 * and the value (without quotes) as pointer + length.  0, or -1 when malformed. */
static int param(const char **pp, const char *end, const char **k, size_t *kn, const char **v, size_t *vn)
{
	const char *p = *pp;
	*k = p;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	*kn = (size_t)(p - *k);
	if (!*kn || p >= end || *p != '=')
		return -1;
	p++;
	if (p < end && *p == '"') {
		p++;
		*v = p;
		while (p < end && *p != '"')
			p++;
		if (p >= end)
			return -1;
		*vn = (size_t)(p - *v);
		p++;
	} else {
		*v = p;
		while (p < end && is_tchar((unsigned char)*p))
			p++;
		*vn = (size_t)(p - *v);
		if (!*vn)
			return -1;
	}
	*pp = p;
	return 0;
}

int multipart_boundary(const char *ct, char out[MP_MAX_BOUNDARY + 1], struct qd_err *err)
{
	static const char type[] = "multipart/form-data";
	out[0] = 0;
	if (!ct || strncasecmp(ct, type, sizeof type - 1) != 0)
		return qd_fail(err, QD_EINVAL, "Content-Type", "请求体须为 multipart/form-data",
		               "the body must be multipart/form-data");
	const char *end = ct + strlen(ct), *p = ct + sizeof type - 1;
	int found = 0;
	for (;;) {
		p = skip_ws(p, end);
		if (p == end)
			break;
		const char *k, *v;
		size_t kn, vn;
		if (*p != ';')
			return qd_fail(err, QD_EINVAL, "Content-Type", "Content-Type 的参数格式错误",
			               "the Content-Type's parameters are malformed");
		p = skip_ws(p + 1, end);
		if (param(&p, end, &k, &kn, &v, &vn))
			return qd_fail(err, QD_EINVAL, "Content-Type", "Content-Type 的参数格式错误",
			               "the Content-Type's parameters are malformed");
		if (kn != 8 || strncasecmp(k, "boundary", 8) != 0)
			continue; /* charset and the like: nothing to us */
		if (found++)
			return qd_fail(err, QD_EINVAL, "Content-Type", "boundary 参数重复",
			               "the boundary parameter is given twice");
		if (vn < 1 || vn > MP_MAX_BOUNDARY || v[vn - 1] == ' ')
			return qd_fail(err, QD_EINVAL, "Content-Type",
			               "boundary 须为1到%d个字符且不以空格结尾",
			               "the boundary must have 1 to %d characters and not end with a space",
			               MP_MAX_BOUNDARY, MP_MAX_BOUNDARY);
		for (size_t i = 0; i < vn; i++)
			if (!is_bchar((unsigned char)v[i]))
				return qd_fail(err, QD_EINVAL, "Content-Type", "boundary 含有不允许的字符",
				               "the boundary holds a character RFC 2046 does not allow");
		memcpy(out, v, vn);
		out[vn] = 0;
	}
	if (!found)
		return qd_fail(err, QD_EINVAL, "Content-Type", "multipart/form-data 缺少 boundary 参数",
		               "multipart/form-data without a boundary parameter");
	return 0;
}

/* The field an error names: the part's name when it is known and fits, else "body". */
static const char *fname(const char *name)
{
	return name && *name && strlen(name) < sizeof((struct qd_err *)0)->field ? name : "body";
}

/* Copy a parameter value (printable, valid UTF-8, at most MP_MAX_NAME bytes) into out. */
static int copy_text(char out[MP_MAX_NAME + 1], const char *v, size_t vn)
{
	if (vn > MP_MAX_NAME || !utf8_valid(v, vn))
		return -1;
	for (size_t i = 0; i < vn; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return -1;
	memcpy(out, v, vn);
	out[vn] = 0;
	return 0;
}

/* Content-Disposition: form-data; name="…"[; filename="…"] from value [p, end). */
static int disposition(const char *p, const char *end, char *name, char *filename, int *has_file,
                       struct qd_err *err)
{
	static const char fd[] = "form-data";
	if ((size_t)(end - p) < sizeof fd - 1 || strncasecmp(p, fd, sizeof fd - 1) != 0)
		return qd_fail(err, QD_EINVAL, "body", "表单分段的 Content-Disposition 须为 form-data",
		               "a part's Content-Disposition must be form-data");
	p += sizeof fd - 1;
	int has_name = 0;
	for (;;) {
		p = skip_ws(p, end);
		if (p == end)
			break;
		const char *k, *v;
		size_t kn, vn;
		if (*p != ';')
			return qd_fail(err, QD_EINVAL, fname(name), "表单分段的 Content-Disposition 格式错误",
			               "a part's Content-Disposition is malformed");
		p = skip_ws(p + 1, end);
		if (param(&p, end, &k, &kn, &v, &vn))
			return qd_fail(err, QD_EINVAL, fname(name), "表单分段的 Content-Disposition 格式错误",
			               "a part's Content-Disposition is malformed");
		if (kn == 4 && strncasecmp(k, "name", 4) == 0) {
			if (has_name++ || copy_text(name, v, vn) || !*name)
				return qd_fail(err, QD_EINVAL, "body",
				               "表单分段的字段名缺失、重复、过长或含有无效字符",
				               "a part's name is empty, given twice, too long or holds "
				               "invalid characters");
		} else if (kn == 8 && strncasecmp(k, "filename", 8) == 0) {
			if ((*has_file)++ || copy_text(filename, v, vn))
				return qd_fail(
				    err, QD_EINVAL, fname(name), "文件名重复、过长或含有无效字符",
				    "a file name is given twice, too long or holds invalid characters");
		} else {
			return qd_fail(
			    err, QD_EINVAL, fname(name), "表单分段的 Content-Disposition 含有不支持的参数",
			    "a part's Content-Disposition has a parameter other than name and filename");
		}
	}
	if (!has_name)
		return qd_fail(err, QD_EINVAL, "body", "表单分段缺少字段名", "a part has no name");
	return 0;
}

int multipart_parse(const char *content_type, const char *body, size_t len, mp_part_fn fn, void *ctx,
                    struct qd_err *err)
{
	char bnd[MP_MAX_BOUNDARY + 1], delim[MP_MAX_BOUNDARY + 5];
	if (multipart_boundary(content_type, bnd, err))
		return -1;
	int dn = snprintf(delim, sizeof delim, "\r\n--%s", bnd); /* the delimiter; the first has no CRLF */
	const char *end = body + len, *p = body;
	if (len < (size_t)dn - 2 || memcmp(p, delim + 2, (size_t)dn - 2) != 0)
		return qd_fail(err, QD_EINVAL, "body", "表单须以分隔符开始",
		               "the form must begin with its boundary delimiter");
	p += dn - 2;
	for (int nparts = 0;; nparts++) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') { /* the close delimiter */
			p += 2;
			if (p == end || (end - p == 2 && p[0] == '\r' && p[1] == '\n'))
				return 0;
			return qd_fail(err, QD_EINVAL, "body", "表单结束分隔符之后还有内容",
			               "the form has bytes after its close delimiter");
		}
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return qd_fail(err, QD_EINVAL, "body", "分隔符之后须换行",
			               "a boundary delimiter must end its line");
		p += 2;
		if (nparts >= MP_MAX_PARTS)
			return qd_fail(err, QD_EINVAL, "body", "表单分段过多（最多%d段）",
			               "the form has too many parts (at most %d)", MP_MAX_PARTS,
			               MP_MAX_PARTS);
		size_t room = (size_t)(end - p);
		const char *hend =
		    memmem(p, room < MP_MAX_HEADER + 4 ? room : MP_MAX_HEADER + 4, "\r\n\r\n", 4);
		if (!hend && room >= MP_MAX_HEADER + 4)
			return qd_fail(err, QD_EINVAL, "body", "表单分段的头部过长（最多%d字节）",
			               "a part's header is too long (at most %d bytes)", MP_MAX_HEADER,
			               MP_MAX_HEADER);
		if (!hend && p + 2 <= end && p[0] == '\r' && p[1] == '\n')
			hend = p - 2; /* no header line at all: refused below for want of a name */
		if (!hend)
			return qd_fail(err, QD_EINVAL, "body", "表单分段的头部不完整",
			               "a part's header is incomplete");
		char name[MP_MAX_NAME + 1] = "", filename[MP_MAX_NAME + 1] = "", ctype[MP_MAX_NAME + 1] = "";
		int has_disp = 0, has_file = 0, has_type = 0;
		for (const char *line = p; line < hend + 2;) {
			const char *eol = memmem(line, (size_t)(hend + 2 - line), "\r\n", 2);
			const char *colon = memchr(line, ':', (size_t)(eol - line));
			if (!colon || colon == line)
				return qd_fail(err, QD_EINVAL, fname(name), "表单分段的头部格式错误",
				               "a part's header line is malformed");
			for (const char *c = line; c < colon; c++)
				if (!is_tchar((unsigned char)*c))
					return qd_fail(err, QD_EINVAL, fname(name), "表单分段的头部格式错误",
					               "a part's header line is malformed");
			for (const char *c = colon + 1; c < eol; c++)
				if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
					return qd_fail(err, QD_EINVAL, fname(name),
					               "表单分段的头部含有控制字符",
					               "a part's header holds a control character");
			const char *v = skip_ws(colon + 1, eol), *ve = eol;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			size_t kn = (size_t)(colon - line);
			if (kn == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
				if (has_disp++)
					return qd_fail(err, QD_EINVAL, fname(name),
					               "Content-Disposition 重复",
					               "a part has two Content-Disposition headers");
				if (disposition(v, ve, name, filename, &has_file, err))
					return -1;
			} else if (kn == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
				if (has_type++ || copy_text(ctype, v, (size_t)(ve - v)) || !*ctype)
					return qd_fail(
					    err, QD_EINVAL, fname(name),
					    "表单分段的 Content-Type 重复、为空或过长",
					    "a part's Content-Type is given twice, empty or too long");
			} else {
				return qd_fail(
				    err, QD_EINVAL, fname(name),
				    "表单分段含有不支持的头部（只接受 Content-Disposition 与 Content-Type）",
				    "a part has a header other than Content-Disposition and Content-Type");
			}
			line = eol + 2;
		}
		if (!has_disp)
			return qd_fail(err, QD_EINVAL, "body", "表单分段缺少 Content-Disposition",
			               "a part has no Content-Disposition");
		const char *data = hend + 4;
		const char *next = memmem(data, (size_t)(end - data), delim, (size_t)dn);
		if (!next)
			return qd_fail(err, QD_EINVAL, fname(name), "表单在分段之中结束（缺少结束分隔符）",
			               "the form ends inside a part (no close delimiter)");
		struct mp_part part = {name, has_file ? filename : NULL, has_type ? ctype : NULL, data,
		                       (size_t)(next - data)};
		if (fn(ctx, &part, err))
			return -1;
		p = next + dn;
	}
}

/* app.js — progressive enhancement only: every flow works without it. */
"use strict";

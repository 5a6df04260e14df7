// The ALTCHA widget (<altcha-widget>) without its inlined workers and styles, so that the
// content security policy stays "script-src 'self'; style-src 'self'": the page links
// vendor/altcha.css, and web/static/challenge.js registers the SHA-256 worker
// (vendor/altcha-sha.js) that solves the server's challenges.
import "altcha/external";

//! `--host`: does the leaf cover a DNS name or IP address (RFC 6125 §6.4)?

//! Unit tests of `cert` (and of `signature` on real certificates).
//!
//! The certificates below were made once with OpenSSL 3.0 (test keys, thrown
//! away) by this script, then pasted; nothing here runs openssl except the
//! oracle test at the end, which compares with the system CA bundle:
//!
//! ```sh
//! set -e
//! root() { # name keyopts subj extra...
//!   n=$1; shift; k=$1; shift; s=$1; shift
//!   openssl req -x509 $k -nodes -keyout $n.key -subj "$s" -days 36500 "$@" -out $n.pem 2>/dev/null
//! }
//! child() { # name ca keyopts subj serial ext extra...
//!   n=$1; ca=$2; k=$3; s=$4; ser=$5; ext=$6; shift 6
//!   openssl req -new $k -nodes -keyout $n.key -subj "$s" -out $n.csr 2>/dev/null
//!   printf "$ext" > $n.ext
//!   openssl x509 -req -in $n.csr -CA $ca.pem -CAkey $ca.key -set_serial $ser -days 365 -extfile $n.ext "$@" -out $n.pem 2>/dev/null
//! }
//! root rsa_root "-newkey rsa:1024" "/C=US/O=certaudit test/CN=RSA Root" -sha256
//! child rsa_sha256 rsa_root "-newkey rsa:1024" "/CN=leaf.example" 0x0080ff "subjectAltName=DNS:leaf.example,DNS:*.leaf.example,IP:192.0.2.1,IP:2001:db8::1\nbasicConstraints=critical,CA:FALSE\n" -sha256
//! child rsa_sha1 rsa_root "-newkey rsa:1024" "/CN=sha1.example" 2 "basicConstraints=CA:FALSE\n" -sha1
//! child rsa_pss rsa_root "-newkey rsa:1024" "/CN=pss.example" 3 "basicConstraints=CA:FALSE\n" -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
//! root p256_root "-newkey ec -pkeyopt ec_paramgen_curve:P-256" "/CN=P-256 Root" -sha256
//! child p256_leaf p256_root "-newkey ec -pkeyopt ec_paramgen_curve:P-256" "/CN=p256.example" 4 "basicConstraints=CA:FALSE\n" -sha256
//! root p384_root "-newkey ec -pkeyopt ec_paramgen_curve:P-384" "/CN=P-384 Root" -sha384
//! child p384_leaf p384_root "-newkey ec -pkeyopt ec_paramgen_curve:P-256" "/CN=p384.example" 5 "basicConstraints=CA:FALSE\n" -sha256
//! root p521_root "-newkey ec -pkeyopt ec_paramgen_curve:P-521" "/CN=P-521 Root" -sha512
//! child p521_leaf p521_root "-newkey ec -pkeyopt ec_paramgen_curve:P-256" "/CN=p521.example" 6 "basicConstraints=CA:FALSE\n" -sha512
//! root ed_root "-newkey ed25519" "/CN=Ed25519 Root"
//! child ed_leaf ed_root "-newkey ed25519" "/CN=ed.example" 7 "basicConstraints=CA:FALSE\n"
//! openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout names.key -multivalue-rdn -subj "/C=US/O=Acme, Inc./OU=R&D+OU=Ops/CN=#1 \"quoted\" <x>;y/emailAddress=pki@example.com" -out names.csr 2>/dev/null
//! printf "basicConstraints=CA:FALSE\n" > names.ext
//! openssl x509 -req -in names.csr -CA rsa_root.pem -CAkey rsa_root.key -set_serial 0x0102030405060708090a0b0c0d0e0f101112131415 -days 365 -extfile names.ext -sha256 -out names.pem 2>/dev/null
//! ```

use super::*;
use crate::findings::Quirk;
use crate::input::{HeaderName, SClientHeader};
use crate::verify::{Verdict, verify};

const RSA_ROOT: &str = "\
-----BEGIN CERTIFICATE-----
MIICUDCCAbmgAwIBAgIUHtGy+RiEVjbYJUp6Btr4N5ZhvKYwDQYJKoZIhvcNAQEL
BQAwOTELMAkGA1UEBhMCVVMxFzAVBgNVBAoMDmNlcnRhdWRpdCB0ZXN0MREwDwYD
VQQDDAhSU0EgUm9vdDAgFw0yNjExMjMxNTIyMDJaGA8yMTI2MTAzMDE1MjIwMlow
OTELMAkGA1UEBhMCVVMxFzAVBgNVBAoMDmNlcnRhdWRpdCB0ZXN0MREwDwYDVQQD
DAhSU0EgUm9vdDCBnzANBgkqhkiG9w0BAQEFAAOBjQAwgYkCgYEA0VyF95ejN68O
oKeu5tKeZSzQAbAAZjCNMHPPGq5eRetZk5IE3DIGcTP0cGXXond+qthQEqzyquig
4DYJ7SPLvEXkrgw6vsq/TiLMjJ0eOlyvg+lwVePFFiOKSpsFNeizuVEup+mbOhkd
7a8QV+pIgQlSG1U11iyFbcCy2RqLsRkCAwEAAaNTMFEwHQYDVR0OBBYEFLKjoRRe
l+mP6K0oZXQduaMMBi/sMB8GA1UdIwQYMBaAFLKjoRRel+mP6K0oZXQduaMMBi/s
MA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADgYEAjqqdvScsmwG9yK59
69UOgZ2fnk/Q2oGpTt6zpGvxoHZ2m4t5Q7D+CXYo3KrfJkNTwllysUaC6OIUN4TC
oFUJmo7z8Dsgh+ezkwE4BL1aUJjEtyUAM7jEcwwtwvakBpDocu46BxCXdxYsvkpG
VtKPBmJ/LeyrRgJKIfa5jSBng7g=
-----END CERTIFICATE-----
";

const RSA_SHA256: &str = "\
-----BEGIN CERTIFICATE-----
MIICWzCCAcSgAwIBAgIDAID/MA0GCSqGSIb3DQEBCwUAMDkxCzAJBgNVBAYTAlVT
MRcwFQYDVQQKDA5jZXJ0YXVkaXQgdGVzdDERMA8GA1UEAwwIUlNBIFJvb3QwHhcN
MjYxMTIzMTUyMjAyWhcNMjcxMTIzMTUyMjAyWjAXMRUwEwYDVQQDDAxsZWFmLmV4
YW1wbGUwgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBAO8BINU8QYj0R6SweIix
fSdMUpFIRa5/K1OxzNOToA+37rZJlRF/a7Dv4KhfX7oWCLbkHRTiUNhqe4+0HXCP
4yC4E8WS0gILdEB0gxNibfDvKxydiHxcMcf1h1eSNawYlrt9m+GLXikiLAgUMZeW
SUvl/KsfsQf3LLxW9kWATw/pAgMBAAGjgZIwgY8wPwYDVR0RBDgwNoIMbGVhZi5l
eGFtcGxlgg4qLmxlYWYuZXhhbXBsZYcEwAACAYcQIAENuAAAAAAAAAAAAAAAATAM
BgNVHRMBAf8EAjAAMB0GA1UdDgQWBBS6XR8VwHj0NAYMWaPARrYTPeb/FTAfBgNV
HSMEGDAWgBSyo6EUXpfpj+itKGV0HbmjDAYv7DANBgkqhkiG9w0BAQsFAAOBgQAi
bUnwgz0LdyjuK1VHuOHQ1+btenTBNEFu+gHh3hFFIdLHkO8gZeXG/k1kkB1AKPw1
OgATcHVfZ6pAz448wVtz4EwP238OxZkBFjwfisdP+g6FcuLZFYA2FNgh121JJp/E
7doQq5Cggbp+VLI9u43FAIIyp4QnFc24FPx8kRLOAA==
-----END CERTIFICATE-----
";

const RSA_SHA1: &str = "\
-----BEGIN CERTIFICATE-----
MIICEzCCAXygAwIBAgIBAjANBgkqhkiG9w0BAQUFADA5MQswCQYDVQQGEwJVUzEX
MBUGA1UECgwOY2VydGF1ZGl0IHRlc3QxETAPBgNVBAMMCFJTQSBSb290MB4XDTI2
MTEyMzE1MjIwMloXDTI3MTEyMzE1MjIwMlowFzEVMBMGA1UEAwwMc2hhMS5leGFt
cGxlMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDHtN77EdZCB1fNrumxaS0+
/FVI1o6cuA1WhKZr2MMl3gX1BJOQpbbQc1VtsdLbkDbhK/dYJ+OrVgU4lwFX7MiE
861w5UAIT54zBBSfktjuFwLqxBTChDunp28TRxx60bVREQu3JhNyDSwafwwYzTFd
2Ga5k3LZfiUmoqOqZSFkVQIDAQABo00wSzAJBgNVHRMEAjAAMB0GA1UdDgQWBBTO
jFn2grXn0t4yQ7snzu8dla+5cjAfBgNVHSMEGDAWgBSyo6EUXpfpj+itKGV0Hbmj
DAYv7DANBgkqhkiG9w0BAQUFAAOBgQCHcwzNVJY20TTomwj5CI2OdtQowwdBTJws
xo3MeNzuEyWVrLeivp8OWhEo7zGkEPfdFaGQjdm4hrV4hCg948Uru2f5ZkKTg0OS
92aAHv0+bpHVkSGsjtVEvEGo8ILFG6Q0LA+ZwOu5XjP6Sn00d/OUwRRzk/8TmTpX
1aiJ+iVOQw==
-----END CERTIFICATE-----
";

const RSA_PSS: &str = "\
-----BEGIN CERTIFICATE-----
MIICejCCAa+gAwIBAgIBAzBBBgkqhkiG9w0BAQowNKAPMA0GCWCGSAFlAwQCAQUA
oRwwGgYJKoZIhvcNAQEIMA0GCWCGSAFlAwQCAQUAogMCASAwOTELMAkGA1UEBhMC
VVMxFzAVBgNVBAoMDmNlcnRhdWRpdCB0ZXN0MREwDwYDVQQDDAhSU0EgUm9vdDAe
Fw0yNjExMjMxNTIyMDJaFw0yNzExMjMxNTIyMDJaMBYxFDASBgNVBAMMC3Bzcy5l
eGFtcGxlMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCq6MU2nuIbQGxM1b49
95RAliejV7l3ktQiZA3lNh+H9Z81lvoNALQoJNmAXlBvrrlcXLT9bAKzwerECJBh
lUWjMjT/iVUmppRq3Zc23ObTO3sM1X8C0RjqAl9PYd24Rb6HZqhKh93pVk4qJpw/
m9Z+RPkWSoT2f5qzmQ8UtO54RQIDAQABo00wSzAJBgNVHRMEAjAAMB0GA1UdDgQW
BBQbB0Rc6nnzft64EpY9X7PtujoTjTAfBgNVHSMEGDAWgBSyo6EUXpfpj+itKGV0
HbmjDAYv7DBBBgkqhkiG9w0BAQowNKAPMA0GCWCGSAFlAwQCAQUAoRwwGgYJKoZI
hvcNAQEIMA0GCWCGSAFlAwQCAQUAogMCASADgYEAzRTbjDhesoivUq9sb8wRnJyX
sdiqEqAoueW4EbikNvvXAuo84hQg1WPF2ZNuKyeZMbC7aN/LHhWuXb945gMJNdga
FaLiela7y2owY75FkDu8QnDc3RX4yHN3JPyxQ8aiRj9EL33PEApGADIia8cxYzwW
9tLDAE4OiNNredzvb8Y=
-----END CERTIFICATE-----
";

const P256_ROOT: &str = "\
-----BEGIN CERTIFICATE-----
MIIBgTCCASegAwIBAgIUVqRBCxTrUQnuLEo0W6HpShQ+w9kwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKUC0yNTYgUm9vdDAgFw0yNjExMjMxNTIyMDJaGA8yMTI2MTAz
MDE1MjIwMlowFTETMBEGA1UEAwwKUC0yNTYgUm9vdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABN1JHAWXgIjxahU3rmrIzKGRZFbWOhEwmApCvmMNuoyDfhOuuwxp
Vr1GkcRc1n+NDOTmMSaagaVJ/OWg9Qc69KqjUzBRMB0GA1UdDgQWBBQ0irGfVX1d
H1wKZc4KHdKtLVRFhDAfBgNVHSMEGDAWgBQ0irGfVX1dH1wKZc4KHdKtLVRFhDAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQCo9vj5KgEdux65k6Ey
YvRARbkhf9lblFTq46MLP3o4WAIgGXCjOgGEwm1LIz4MRbsJrpEvvQjSrkt0Kv0V
QaaAxRw=
-----END CERTIFICATE-----
";

const P256_LEAF: &str = "\
-----BEGIN CERTIFICATE-----
MIIBaDCCAQ6gAwIBAgIBBDAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDApQLTI1NiBS
b290MB4XDTI2MTEyMzE1MjIwMloXDTI3MTEyMzE1MjIwMlowFzEVMBMGA1UEAwwM
cDI1Ni5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExONqLg/CVpOx
E5K4f3PdBkWrNLWKBVzi+VBmkAmggDFs2Ocy5ypr5JiLo//kvBDMVrFRDYBFf3bb
I7Rbmu4rjaNNMEswCQYDVR0TBAIwADAdBgNVHQ4EFgQUQwFNmpyf9dNWuMyx6Y9L
hNkv6QMwHwYDVR0jBBgwFoAUNIqxn1V9XR9cCmXOCh3SrS1URYQwCgYIKoZIzj0E
AwIDSAAwRQIhANWTwVvWOHBa5tSgkeFWnpaFWuAtRJ8FUCtgzrmYr1+JAiAfM9Ei
KVQZgZnQiXOeVTvEZr80p285RphMMddduyvqtA==
-----END CERTIFICATE-----
";

const P384_ROOT: &str = "\
-----BEGIN CERTIFICATE-----
MIIBvzCCAUSgAwIBAgIUTxSEMApwuYwhJp8Q8mowmHlBtX4wCgYIKoZIzj0EAwMw
FTETMBEGA1UEAwwKUC0zODQgUm9vdDAgFw0yNjExMjMxNTIyMDJaGA8yMTI2MTAz
MDE1MjIwMlowFTETMBEGA1UEAwwKUC0zODQgUm9vdDB2MBAGByqGSM49AgEGBSuB
BAAiA2IABMkTT5dYb8exBBp2L+vvede/6axkLMw5mz8ST2B17EyWDQk5cixkHpUG
N5ecKvSqBJ+wmD+PuYZaEbFRbw85/GZXAI5x3Wu8zgllywVNzMY+NEXcGENqeWJw
oLusnaaC6aNTMFEwHQYDVR0OBBYEFEEqHYSoUwyZxzhRTsRgm+XHQtZQMB8GA1Ud
IwQYMBaAFEEqHYSoUwyZxzhRTsRgm+XHQtZQMA8GA1UdEwEB/wQFMAMBAf8wCgYI
KoZIzj0EAwMDaQAwZgIxAId7NabvBkB8b5+ugxihw38STiGsTTAV9W0iv/ylRWxs
U+ucGER7aIBJNKrD8XpQsgIxAOoos3C3nisIG1o8ikS3ymG5KHuoOt1wXf3a/hTX
8cKB8GJDxHnfFRie8DOyEjOngw==
-----END CERTIFICATE-----
";

const P384_LEAF: &str = "\
-----BEGIN CERTIFICATE-----
MIIBhzCCAQ6gAwIBAgIBBTAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDApQLTM4NCBS
b290MB4XDTI2MTEyMzE1MjIwMloXDTI3MTEyMzE1MjIwMlowFzEVMBMGA1UEAwwM
cDM4NC5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE/sOU6dgbM4XE
NmGuqzuOQkksiyHF7H/PTvOycdaunnD0HUNng6eN4yyO+QZs7KvgH4PdLprPFH43
WKNY3G+vNKNNMEswCQYDVR0TBAIwADAdBgNVHQ4EFgQUXe1o4tbRcOi/qZ6CQY1y
TVIZlgkwHwYDVR0jBBgwFoAUQSodhKhTDJnHOFFOxGCb5cdC1lAwCgYIKoZIzj0E
AwIDZwAwZAIwKlCucCt8jJXmDMrMHdZmY0KeWJ4pKi5TuJFxpp5vfpiT0vMC8U2n
c0scPoX9TPLMAjAmhDK8uNr0UwbD+qlxfM8wtsH9KYD6BjhMmfrDi+QDXiq6bvfb
ZcFXjJPhb6M4aog=
-----END CERTIFICATE-----
";

const P521_ROOT: &str = "\
-----BEGIN CERTIFICATE-----
MIICCDCCAWqgAwIBAgIUVpV/cj4kj8OGiva++md2rdXMXb0wCgYIKoZIzj0EAwQw
FTETMBEGA1UEAwwKUC01MjEgUm9vdDAgFw0yNjExMjMxNTIyMDJaGA8yMTI2MTAz
MDE1MjIwMlowFTETMBEGA1UEAwwKUC01MjEgUm9vdDCBmzAQBgcqhkjOPQIBBgUr
gQQAIwOBhgAEAbAOSPUbzIEc1QI7V3EUmtzs/YQIEjIA1r7LQCymOAx11uEAYX9b
QZXk31kdAT2dcyoQPSk+84bbasrmEltGK1z0AFkxABTXH2IiTC8RVmpIBG0eOkR2
TZ/kJx3exN6LqUv2Dx82apnxQAuWDua5/rLVoflQeQ/X+imZQxu419c/nPQjo1Mw
UTAdBgNVHQ4EFgQUicCvc0YvC1g+8ifHCWEyloPjAHowHwYDVR0jBBgwFoAUicCv
c0YvC1g+8ifHCWEyloPjAHowDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDBAOB
iwAwgYcCQgEdoJH9+9si8ES7C2U7MhVjJF+ZH6smEZVmAuexriDABnIjf36vHtKl
fOzgkQCsryghHBrABZ+GddezFDteL3XF6AJBGwkW7uvAEw/HCtnb2WNE9UBo81SS
Yea/5uYDvQOJBmA+MuGCrVfKMXoJ7Sw8IN8uPLQzJwM6HX1Crc/+Vv+Nnyc=
-----END CERTIFICATE-----
";

const P521_LEAF: &str = "\
-----BEGIN CERTIFICATE-----
MIIBrTCCAQ6gAwIBAgIBBjAKBggqhkjOPQQDBDAVMRMwEQYDVQQDDApQLTUyMSBS
b290MB4XDTI2MTEyMzE1MjIwMloXDTI3MTEyMzE1MjIwMlowFzEVMBMGA1UEAwwM
cDUyMS5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE52wev2Wui2H+
D4II2RdBcUNfeBl/yfEMa0QNYh9ovIRyDvJIMuZ74VLMk1vRbTog3kAMTTNJuRUJ
2XHByL+4raNNMEswCQYDVR0TBAIwADAdBgNVHQ4EFgQUkmFAfJEZTdU6UjTPVSiE
Wlvsp3kwHwYDVR0jBBgwFoAUicCvc0YvC1g+8ifHCWEyloPjAHowCgYIKoZIzj0E
AwQDgYwAMIGIAkIBrP6eb5MPzSVdfrn2q7+JIjTR5IyqRTSMWDmzi4PpCKdI3JRC
ZbjzEt8h/Tovda6xS7KqRkC8zWIlv8SKkWVAx7QCQgGxLOCq02chh6rOiHum0zh0
+skbPfjoLRCEHTg+sKAwjc+YN3K85HcFYJCbMz3O8oVb2XpSjdUyP+ta+e3Z/VyS
KA==
-----END CERTIFICATE-----
";

const ED_ROOT: &str = "\
-----BEGIN CERTIFICATE-----
MIIBRDCB96ADAgECAhRmWOdDnwcyMC2a9kZOWj5bkKe9vDAFBgMrZXAwFzEVMBMG
A1UEAwwMRWQyNTUxOSBSb290MCAXDTI2MTEyMzE1MjIwMloYDzIxMjYxMDMwMTUy
MjAyWjAXMRUwEwYDVQQDDAxFZDI1NTE5IFJvb3QwKjAFBgMrZXADIQDkBXzgjxWH
6Jm3qeytINDrraPd7w8hk97m0LHhUjS0/6NTMFEwHQYDVR0OBBYEFB8mAGQMVQiI
SteCo6pjm3UiYoEUMB8GA1UdIwQYMBaAFB8mAGQMVQiISteCo6pjm3UiYoEUMA8G
A1UdEwEB/wQFMAMBAf8wBQYDK2VwA0EAVSmlnGwBFwKcU0LL2UjrJaMG6oUho6Dz
EKgSEu9gZqRTBpPTlhBukViYMZVI6DVpgTLM4F/9E4ydKxHhG8+aCw==
-----END CERTIFICATE-----
";

const ED_LEAF: &str = "\
-----BEGIN CERTIFICATE-----
MIIBJzCB2qADAgECAgEHMAUGAytlcDAXMRUwEwYDVQQDDAxFZDI1NTE5IFJvb3Qw
HhcNMjYxMTIzMTUyMjAyWhcNMjcxMTIzMTUyMjAyWjAVMRMwEQYDVQQDDAplZC5l
eGFtcGxlMCowBQYDK2VwAyEACeru6NqWNaooYfR4cESSy1WRXg9/aOy40QXqJ2Nx
wbKjTTBLMAkGA1UdEwQCMAAwHQYDVR0OBBYEFMaIjdBM4AxGsrJOFvfhwtjZkXWB
MB8GA1UdIwQYMBaAFB8mAGQMVQiISteCo6pjm3UiYoEUMAUGAytlcANBAMCwZHfF
zshY0GFgD829BkS1IJZ3dBqXmkbUw0o6QfHsezJfE9ecF9jtCXGL5o9AA+uh47er
XCzEQ4sWlMvOuAU=
-----END CERTIFICATE-----
";

const NAMES: &str = "\
-----BEGIN CERTIFICATE-----
MIICQTCCAaqgAwIBAgIVAQIDBAUGBwgJCgsMDQ4PEBESExQVMA0GCSqGSIb3DQEB
CwUAMDkxCzAJBgNVBAYTAlVTMRcwFQYDVQQKDA5jZXJ0YXVkaXQgdGVzdDERMA8G
A1UEAwwIUlNBIFJvb3QwHhcNMjYxMTIzMTUyMjAyWhcNMjcxMTIzMTUyMjAyWjB4
MQswCQYDVQQGEwJVUzETMBEGA1UECgwKQWNtZSwgSW5jLjEYMAoGA1UECwwDT3Bz
MAoGA1UECwwDUiZEMRowGAYDVQQDDBEjMSAicXVvdGVkIiA8eD47eTEeMBwGCSqG
SIb3DQEJARYPcGtpQGV4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
QgAELoS9EhaRjJ3q3DnwOfWaHSJ7ALUDjofZO81KQRLp9U1QwAP/KoxMai6bmgHR
nhTj0EN99UOXiWyBUKIYfy6DzKNNMEswCQYDVR0TBAIwADAdBgNVHQ4EFgQU+1jM
2t7zeaG1twQFKQ9ncGBnn+0wHwYDVR0jBBgwFoAUsqOhFF6X6Y/orShldB25owwG
L+wwDQYJKoZIhvcNAQELBQADgYEAISWY01ZkZYORx8f82pmjPh8s2r3XKcHQNSu5
i+P+Fjf0PbKvCRHZAVr2uj07KmFlFnQelczOHPZ34y2Y1WAWE4hGZU3oj8mSr8LX
B0x/xGNmfgGLQOI62EpoCFpTyDdHSsNmOcmpf0iAVS5mTHO8LYZQ12s2MEy13lOT
4p/U5o8=
-----END CERTIFICATE-----
";

/// `x509::parse`, then the stage after it that decides `self_signed` (these tests
/// check the facts and the signatures that `verify` finds for them together).
fn parse(der: &[u8], index: usize, line: Option<usize>) -> Result<CertInfo, BadCertificate> {
    let mut info = super::parse(der, index, line)?;
    crate::verify::settle_self_signed(&mut info);
    Ok(info)
}

fn der(pem_text: &str) -> Vec<u8> {
    pem::parse(pem_text).unwrap().into_contents()
}

fn cert(pem_text: &str) -> CertInfo {
    parse(&der(pem_text), 0, Some(1)).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn every_issuer_child_pair_verifies() {
    for (child, issuer, alg) in [
        (RSA_SHA256, RSA_ROOT, "sha256WithRSAEncryption"),
        (RSA_SHA1, RSA_ROOT, "sha1WithRSAEncryption"),
        (RSA_PSS, RSA_ROOT, "rsassaPss"),
        (NAMES, RSA_ROOT, "sha256WithRSAEncryption"),
        (P256_LEAF, P256_ROOT, "ecdsa-with-SHA256"),
        // A P-384 key signing with SHA-256: the hash does not follow the curve.
        (P384_LEAF, P384_ROOT, "ecdsa-with-SHA256"),
        (P521_LEAF, P521_ROOT, "ecdsa-with-SHA512"),
        (ED_LEAF, ED_ROOT, "ED25519"),
    ] {
        let (child, issuer) = (cert(child), cert(issuer));
        assert_eq!(child.signature_algorithm, alg);
        assert_eq!(
            verify(&child, &issuer),
            Verdict::Valid,
            "{}",
            child.subject.display
        );
        assert!(!child.self_issued && !child.self_signed);
        assert!(
            issuer.self_issued && issuer.self_signed,
            "{}",
            issuer.subject.display
        );
        assert!(issuer.ca && !child.ca);
        assert!(child.notes.is_empty() || child.subject.display.starts_with("emailAddress"));
        assert!(issuer.notes.is_empty(), "{:?}", issuer.notes);
        assert_eq!(child.authority_key_id, issuer.subject_key_id);
    }
}

#[test]
fn a_wrong_issuer_or_an_edited_certificate_is_invalid() {
    let pairs = [
        (P256_LEAF, P384_ROOT),  // same family, other key
        (RSA_SHA256, P256_ROOT), // RSA signature, EC key
        (P256_LEAF, RSA_ROOT),   // ECDSA signature, RSA key
        (ED_LEAF, RSA_ROOT),
        (RSA_SHA256, ED_ROOT),
        (RSA_PSS, P521_ROOT),
    ];
    for (child, issuer) in pairs {
        assert_eq!(verify(&cert(child), &cert(issuer)), Verdict::Invalid);
    }
    for pem_text in [RSA_SHA256, RSA_PSS, P521_LEAF, ED_LEAF] {
        let mut child = cert(pem_text);
        let issuer = match pem_text {
            RSA_SHA256 | RSA_PSS => cert(RSA_ROOT),
            P521_LEAF => cert(P521_ROOT),
            _ => cert(ED_ROOT),
        };
        let last = child.tbs_der.len() - 1;
        child.tbs_der[last] ^= 1;
        assert_eq!(verify(&child, &issuer), Verdict::Invalid);
    }
}

#[test]
fn algorithms_keys_and_weakness_are_named_as_openssl_names_them() {
    let cases = [
        (RSA_ROOT, "RSA 1024", "sha256WithRSAEncryption", false),
        (RSA_SHA1, "RSA 1024", "sha1WithRSAEncryption", true),
        (RSA_PSS, "RSA 1024", "rsassaPss", false),
        (P256_ROOT, "EC P-256", "ecdsa-with-SHA256", false),
        (P384_ROOT, "EC P-384", "ecdsa-with-SHA384", false),
        (P521_ROOT, "EC P-521", "ecdsa-with-SHA512", false),
        (ED_ROOT, "Ed25519", "ED25519", false),
    ];
    for (pem_text, key, alg, weak) in cases {
        let c = cert(pem_text);
        assert_eq!(
            (
                c.public_key.as_str(),
                c.signature_algorithm.as_str(),
                c.weak_signature
            ),
            (key, alg, weak)
        );
    }
}

/// A v3 certificate whose signatureAlgorithm (both of them) is `dotted`.
fn signed_with_oid(dotted: &str) -> Vec<u8> {
    let root = cert(RSA_ROOT);
    let alg = tlv(tag::SEQUENCE, &[&oid_tlv(dotted), &tlv(tag::NULL, &[])]);
    let name = tlv(
        tag::SEQUENCE,
        &[&atv("2.5.4.3", tag::UTF8_STRING, b"md5 era")],
    );
    let validity = tlv(
        tag::SEQUENCE,
        &[
            &tlv(tag::UTC_TIME, &[b"990101000000Z"]),
            &tlv(tag::UTC_TIME, &[b"201231235959Z"]),
        ],
    );
    let tbs = tlv(
        tag::SEQUENCE,
        &[
            &tlv(tag::explicit(0), &[&tlv(tag::INTEGER, &[&[2]])]),
            &tlv(tag::INTEGER, &[&[1]]),
            &alg,
            &name,
            &validity,
            &name,
            &root.spki_der,
        ],
    );
    tlv(
        tag::SEQUENCE,
        &[&tbs, &alg, &tlv(tag::BIT_STRING, &[&[0, 1, 2, 3]])],
    )
}

#[test]
fn a_hash_oid_as_the_signature_algorithm_is_named_as_openssl_names_it() {
    for (dotted, name, weak) in [
        // md5WithRSAEncryption's inner hash, which OpenSSL prints as `md5`
        ("1.2.840.113549.2.5", "md5", true),
        ("1.2.840.113549.2.2", "md2", true),
        ("1.3.14.3.2.26", "sha1", true),
        ("2.16.840.1.101.3.4.2.8", "sha3-256", false),
        ("1.2.840.113549.1.1.4", "md5WithRSAEncryption", true),
        ("1.2.3.4", "1.2.3.4", false),
    ] {
        let c = parse(&signed_with_oid(dotted), 0, None).unwrap();
        assert_eq!(
            (c.signature_algorithm.as_str(), c.weak_signature),
            (name, weak),
            "{dotted}"
        );
    }
}

#[test]
fn fingerprints_serials_and_times_match_openssl() {
    let root = cert(RSA_ROOT);
    // openssl x509 -noout -fingerprint -sha1 / -sha256 -serial -dates
    assert_eq!(
        hex_upper(&root.sha1),
        "D33191E470EB4573F630B7661B7A293E83875059"
    );
    assert_eq!(
        hex_upper(&root.sha256),
        "FFD3BEE41B10E495C2F3162ECD9C17E27C64BC43BBFA64E812265EB4FDBF01FC"
    );
    assert_eq!(root.serial, "1ed1b2f918845636d8254a7a06daf8379661bca6");
    // UTCTime, then GeneralizedTime (after 2049).
    assert_eq!(root.not_before, utc("2026-11-23T15:22:02Z"));
    assert_eq!(root.not_after, utc("2126-10-30T15:22:02Z"));
    assert_eq!(root.line, Some(1));
    assert_eq!(root.der, der(RSA_ROOT));
    // DER `02 03 00 80 ff`: the sign byte is not part of the serial.
    assert_eq!(cert(RSA_SHA256).serial, "80ff");
    assert_eq!(cert(ED_LEAF).serial, "07");
}

#[test]
fn an_overlong_serial_is_read_with_a_note() {
    let c = cert(NAMES);
    assert_eq!(c.serial, "0102030405060708090a0b0c0d0e0f101112131415");
    assert_eq!(c.notes, [Quirk::SerialTooLong { octets: 21 }]);
}

#[test]
fn names_are_rfc4514_most_specific_first_with_openssl_short_names() {
    let c = cert(NAMES);
    // Exactly `openssl x509 -noout -subject -nameopt RFC2253`.
    assert_eq!(
        c.subject.display,
        r#"emailAddress=pki@example.com,CN=\#1 \"quoted\" \<x\>\;y,OU=R&D+OU=Ops,O=Acme\, Inc.,C=US"#
    );
    let attrs: Vec<(&str, &str)> = c
        .subject
        .attrs
        .iter()
        .map(|(t, v)| (t.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        attrs,
        [
            ("C", "US"),
            ("O", "Acme, Inc."),
            ("OU", "Ops"),
            ("OU", "R&D"),
            ("CN", "#1 \"quoted\" <x>;y"),
            ("emailAddress", "pki@example.com"),
        ]
    );
    assert_eq!(c.issuer.display, "CN=RSA Root,O=certaudit test,C=US");
    assert_eq!(c.issuer.key, cert(RSA_ROOT).subject.key);
}

#[test]
fn subject_alt_names_and_basic_constraints_are_read() {
    let c = cert(RSA_SHA256);
    assert_eq!(c.dns_names, ["leaf.example", "*.leaf.example"]);
    assert_eq!(
        c.ip_addresses,
        [
            "192.0.2.1".parse::<IpAddr>().unwrap(),
            "2001:db8::1".parse().unwrap()
        ]
    );
    assert!(!c.ca);
    assert_eq!(
        c.subject_key_id.as_deref().map(hex_upper).as_deref(),
        Some("BA5D1F15C078F434060C59A3C046B6133DE6FF15")
    );
}

#[test]
fn truncated_or_foreign_bytes_are_bad_certificates() {
    let full = der(RSA_ROOT);
    let err = parse(&full[..400], 0, None).unwrap_err();
    assert_eq!(
        err.0,
        format!(
            "DER ends after 400 of {} bytes: the certificate is truncated",
            full.len()
        )
    );
    assert!(
        parse(&full[..3], 0, None)
            .unwrap_err()
            .0
            .contains("truncated")
    );
    assert_eq!(parse(b"", 0, None).unwrap_err().0, "the block is empty");
    assert!(
        parse(b"hello", 0, None)
            .unwrap_err()
            .0
            .contains("first byte 0x68")
    );
    // A corrupted inner length.
    let mut bad = full.clone();
    bad[5] = 0x7f; // tbsCertificate's length field
    assert!(parse(&bad, 0, None).is_err());
    // Every prefix fails cleanly, none panics.
    for n in 0..full.len() {
        assert!(parse(&full[..n], 0, None).is_err());
    }
}

#[test]
fn trailing_bytes_are_ignored_with_a_note() {
    let mut bytes = der(P256_ROOT);
    bytes.extend_from_slice(b"\n\n");
    let c = parse(&bytes, 3, None).unwrap();
    assert_eq!(c.der, der(P256_ROOT));
    assert_eq!(c.index, 3);
    assert_eq!(c.notes, [Quirk::TrailingBytes { count: 2 }]);
    assert!(c.self_signed);
}

#[test]
fn corrupted_bytes_never_panic() {
    // Every byte of a certificate changed three ways: parsing and verifying
    // either fail cleanly or give a verdict, never a panic.
    let issuer = cert(RSA_ROOT);
    for original in [der(RSA_SHA256), der(P384_LEAF), der(ED_ROOT)] {
        for i in 0..original.len() {
            for change in [0x00, 0xff, original[i] ^ 0x80] {
                let mut bytes = original.clone();
                bytes[i] = change;
                if let Ok(c) = parse(&bytes, 0, None) {
                    let _ = verify(&c, &issuer);
                    let _ = verify(&issuer, &c);
                }
            }
        }
    }
}

/// DER builder for hand-made certificates with quirks.
fn tlv(tag_: u8, parts: &[&[u8]]) -> Vec<u8> {
    let body = parts.concat();
    let mut out = vec![tag_];
    match body.len() {
        n @ 0..=127 => out.push(n as u8),
        n @ 128..=255 => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend(body);
    out
}

fn oid_tlv(dotted: &str) -> Vec<u8> {
    tlv(
        tag::OID,
        &[der::oid::ObjectIdentifier::new(dotted).unwrap().as_bytes()],
    )
}

fn atv(dotted: &str, tag_: u8, value: &[u8]) -> Vec<u8> {
    tlv(
        tag::SET,
        &[&tlv(
            tag::SEQUENCE,
            &[&oid_tlv(dotted), &tlv(tag_, &[value])],
        )],
    )
}

fn ext(dotted: &str, critical: Option<u8>, value: &[u8]) -> Vec<u8> {
    let crit = critical
        .map(|b| tlv(tag::BOOLEAN, &[&[b]]))
        .unwrap_or_default();
    tlv(
        tag::SEQUENCE,
        &[&oid_tlv(dotted), &crit, &tlv(tag::OCTET_STRING, &[value])],
    )
}

/// A certificate with most of the quirks real old certificates have.
fn quirky() -> Vec<u8> {
    let root = cert(RSA_ROOT);
    let alg = tlv(
        tag::SEQUENCE,
        &[&oid_tlv("1.2.840.113549.1.1.11"), &tlv(tag::NULL, &[])],
    );
    let issuer = tlv(
        tag::SEQUENCE,
        &[
            &atv("2.5.4.6", tag::PRINTABLE_STRING, b"DE"),
            &atv("2.5.4.10", tag::BMP_STRING, &[0, b'O', 0, b'r', 0, b'g']),
            &atv("2.5.4.3", tag::TELETEX_STRING, b"Caf\xe9  Root "),
        ],
    );
    let subject = tlv(
        tag::SEQUENCE,
        &[
            &atv("2.5.4.3", tag::UNIVERSAL_STRING, &[0, 0, 0, b'x']),
            &atv("1.2.3.4", tag::UTF8_STRING, b"y"),
            &atv("2.5.4.5", tag::INTEGER, &[5]),
        ],
    );
    let validity = tlv(
        tag::SEQUENCE,
        &[
            &tlv(tag::UTC_TIME, &[b"0001010000Z"]),
            &tlv(tag::GENERALIZED_TIME, &[b"20301231235959Z"]),
        ],
    );
    let extensions = tlv(
        tag::explicit(3),
        &[&tlv(
            tag::SEQUENCE,
            &[
                &ext(
                    "2.5.29.19",
                    Some(0x00),
                    &tlv(tag::SEQUENCE, &[&tlv(tag::BOOLEAN, &[&[0x01]])]),
                ),
                &ext("2.5.29.17", None, &tlv(tag::SEQUENCE, &[])),
                &ext("1.2.3.4.5", Some(0xff), &[0x05, 0x00]),
                &ext(
                    "2.5.29.17",
                    None,
                    &tlv(tag::SEQUENCE, &[&tlv(0x82, &[b"dup.example"])]),
                ),
            ],
        )],
    );
    let tbs = tlv(
        tag::SEQUENCE,
        &[
            &tlv(tag::explicit(0), &[&tlv(tag::INTEGER, &[&[0]])]),
            &tlv(tag::INTEGER, &[&[0xff, 0x7f]]),
            &alg,
            &issuer,
            &validity,
            &subject,
            &root.spki_der,
            &extensions,
        ],
    );
    let body = [tbs, alg, tlv(tag::BIT_STRING, &[&[0, 1, 2, 3]])].concat();
    // Outer length in a needlessly long form (BER, not DER).
    let mut out = vec![0x30, 0x83, 0x00, (body.len() >> 8) as u8, body.len() as u8];
    out.extend(body);
    out
}

#[test]
fn quirks_openssl_accepts_are_read_and_noted() {
    let c = parse(&quirky(), 0, None).unwrap();
    assert_eq!(c.issuer.display, "CN=Café  Root\\ ,O=Org,C=DE");
    assert_eq!(
        c.subject.display,
        "serialNumber=#020105,1.2.3.4=#0C0179,CN=x"
    );
    assert_eq!(c.subject.attrs[1], ("1.2.3.4".to_owned(), "y".to_owned()));
    assert_eq!(c.serial, "-81");
    assert_eq!(c.not_before, utc("2000-01-01T00:00:00Z"));
    assert_eq!(c.not_after, utc("2030-12-31T23:59:59Z"));
    assert!(c.ca, "BOOLEAN 0x01 is TRUE, as OpenSSL reads it");
    assert!(c.dns_names.is_empty(), "the duplicate SAN is not used");
    assert_eq!(verify(&c, &cert(RSA_ROOT)), Verdict::Invalid);
    let ext = |e: &str| e.to_string();
    let expected = [
        Quirk::BerLength,
        Quirk::ExplicitDefaultVersion,
        Quirk::SerialNegative,
        Quirk::TimeWithoutSeconds {
            which: "notBefore".into(),
            kind: "UTCTime".into(),
        },
        Quirk::ExtensionsBeforeV3 { version: 1 },
        Quirk::ExplicitNonCritical {
            extension: ext("basicConstraints"),
        },
        Quirk::BooleanNotFf {
            what: "basicConstraints cA".into(),
            byte: 1,
        },
        Quirk::EmptySubjectAltName,
        Quirk::UnknownCriticalExtension {
            extension: ext("1.2.3.4.5"),
        },
        Quirk::RepeatedExtension {
            extension: ext("subjectAltName"),
        },
    ];
    assert_eq!(c.notes, expected);
    // The one wording, as findings and reports show it.
    assert_eq!(
        expected[3].to_string(),
        "notBefore is a UTCTime without seconds (RFC 5280 §4.1.2.5 requires them)"
    );
}

#[test]
fn name_keys_follow_rfc5280_comparison() {
    let mut notes = Notes::default();
    let mut key = |name: Vec<u8>| {
        let (t, _) = tlv::split_tlv(&name).unwrap();
        name::parse(&t, "subject", &mut notes).unwrap().key
    };
    let a = key(tlv(
        tag::SEQUENCE,
        &[
            &atv("2.5.4.6", tag::PRINTABLE_STRING, b"US"),
            &atv("2.5.4.3", tag::PRINTABLE_STRING, b"Example  CA"),
        ],
    ));
    let b = key(tlv(
        tag::SEQUENCE,
        &[
            &atv("2.5.4.6", tag::UTF8_STRING, b"us"),
            &atv("2.5.4.3", tag::UTF8_STRING, b" example ca "),
        ],
    ));
    let swapped = key(tlv(
        tag::SEQUENCE,
        &[
            &atv("2.5.4.3", tag::UTF8_STRING, b"Example CA"),
            &atv("2.5.4.6", tag::UTF8_STRING, b"US"),
        ],
    ));
    let merged = key(tlv(
        tag::SEQUENCE,
        &[&tlv(
            tag::SET,
            &[
                &tlv(
                    tag::SEQUENCE,
                    &[&oid_tlv("2.5.4.6"), &tlv(tag::UTF8_STRING, &[b"US"])],
                ),
                &tlv(
                    tag::SEQUENCE,
                    &[
                        &oid_tlv("2.5.4.3"),
                        &tlv(tag::UTF8_STRING, &[b"Example CA"]),
                    ],
                ),
            ],
        )],
    ));
    assert_eq!(a, b);
    assert_ne!(a, swapped, "RDN order matters");
    assert_ne!(a, merged, "RDN boundaries matter");
}

fn header(subject: &str, issuer: &str, parsed: Option<(HeaderName, HeaderName)>) -> SClientHeader {
    SClientHeader {
        depth: 0,
        line: 4,
        subject_raw: subject.to_owned(),
        issuer_raw: issuer.to_owned(),
        subject: parsed.as_ref().map(|p| p.0.clone()),
        issuer: parsed.map(|p| p.1),
        too_long: None,
    }
}

fn attrs(list: &[(&str, &str)]) -> HeaderName {
    list.iter()
        .map(|(t, v)| ((*t).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn a_matching_s_client_header_is_silent() {
    let c = cert(RSA_SHA256);
    let ok = header(
        "CN = leaf.example",
        "C = US, O = certaudit test, CN = RSA Root",
        Some((
            attrs(&[("CN", "leaf.example")]),
            attrs(&[("C", "US"), ("O", "certaudit test"), ("CN", "RSA Root")]),
        )),
    );
    assert_eq!(check_header(&c, &ok), None);
    let old_style = header(
        "/CN=leaf.example",
        "/C=US/O=certaudit test/CN=RSA Root",
        None,
    );
    assert_eq!(check_header(&c, &old_style), None);
    let names = cert(NAMES);
    let quoted = header(
        r##"C = US, O = "Acme, Inc.", OU = Ops + OU = R&D, CN = "#1 \"quoted\" <x>;y", emailAddress = pki@example.com"##,
        "",
        None,
    );
    assert_eq!(check_header(&names, &quoted), None);
}

#[test]
fn a_header_line_too_long_to_keep_is_reported_not_compared() {
    let c = cert(RSA_SHA256);
    let mut h = header("", "", None);
    h.too_long = Some(20 << 20);
    let f = check_header(&c, &h).expect("a finding");
    assert_eq!(f.code, crate::findings::Code::InputHeaderMismatch);
    assert_eq!(f.certificate, Some(c.index));
    assert_eq!(f.line, Some(4));
    assert!(
        f.message.contains("20971520 bytes long, over the 64 KiB"),
        "{}",
        f.message
    );
    assert!(f.message.len() < 400);
}

#[test]
fn a_header_for_another_certificate_is_a_mismatch() {
    let c = cert(RSA_SHA256);
    let wrong = header(
        "CN = other.example",
        "C = US, O = certaudit test, CN = RSA Root",
        Some((
            attrs(&[("CN", "other.example")]),
            attrs(&[("C", "US"), ("O", "certaudit test"), ("CN", "RSA Root")]),
        )),
    );
    let f = check_header(&c, &wrong).unwrap();
    assert_eq!(f.code, crate::findings::Code::InputHeaderMismatch);
    assert_eq!((f.certificate, f.line), (Some(0), Some(4)));
    assert_eq!(
        f.message,
        "the s_client header at line 4 does not describe certificate #0 under it: \
         the header says subject \"CN = other.example\" but the certificate's subject is \"CN=leaf.example\""
    );
    let unparsed = header("/CN=leaf.example", "/CN=Another Root", None);
    assert!(
        check_header(&c, &unparsed)
            .unwrap()
            .message
            .contains("issuer")
    );
}

/// Oracle: every certificate of the system CA bundle against `openssl x509`.
#[test]
fn the_system_ca_bundle_matches_openssl() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let path = "/etc/ssl/certs/ca-certificates.crt";
    let Ok(bundle) = std::fs::read(path) else {
        eprintln!("skipped: {path} is missing");
        return;
    };
    let openssl = |pem_text: &str, args: &[&str]| -> Option<String> {
        let mut child = Command::new("openssl")
            .arg("x509")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        child.stdin.take()?.write_all(pem_text.as_bytes()).ok()?;
        let out = child.wait_with_output().ok()?;
        String::from_utf8(out.stdout).ok()
    };
    let blocks = pem::parse_many(&bundle).unwrap();
    let (mut matched, mut not_self_signed) = (0, Vec::new());
    for (i, block) in blocks.iter().enumerate() {
        let c =
            parse(block.contents(), i, None).unwrap_or_else(|e| panic!("certificate {i}: {e:?}"));
        let pem_text = pem::encode(block);
        let Some(sha1) = openssl(&pem_text, &["-noout", "-fingerprint", "-sha1"]) else {
            eprintln!("skipped: openssl is not available");
            return;
        };
        let rest = openssl(
            &pem_text,
            &[
                "-noout",
                "-fingerprint",
                "-sha256",
                "-serial",
                "-dates",
                "-subject",
                "-nameopt",
                "RFC2253",
            ],
        )
        .unwrap();
        let field = |text: &str, key: &str| -> String {
            text.lines()
                .find_map(|l| l.strip_prefix(key))
                .unwrap_or_else(|| panic!("{key} missing from openssl output"))
                .to_owned()
        };
        let date = |s: String| {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            chrono::NaiveDateTime::parse_from_str(&s, "%b %d %H:%M:%S %Y GMT")
                .unwrap()
                .and_utc()
        };
        let what = format!("certificate {i} ({})", c.subject.display);
        assert_eq!(
            field(&sha1, "sha1 Fingerprint=").replace(':', ""),
            hex_upper(&c.sha1),
            "{what}"
        );
        assert_eq!(
            field(&rest, "sha256 Fingerprint=").replace(':', ""),
            hex_upper(&c.sha256),
            "{what}"
        );
        assert_eq!(
            field(&rest, "serial=").to_ascii_lowercase(),
            c.serial,
            "{what}"
        );
        assert_eq!(date(field(&rest, "notBefore=")), c.not_before, "{what}");
        assert_eq!(date(field(&rest, "notAfter=")), c.not_after, "{what}");
        assert_eq!(
            unescape_rfc2253(&field(&rest, "subject=")),
            unescape_rfc2253(&c.subject.display),
            "{what}"
        );
        assert!(c.notes.is_empty(), "{what}: {:?}", c.notes);
        if c.self_issued && !c.self_signed {
            let verdict = verify(&c, &c);
            not_self_signed.push(format!(
                "{what}: {} {}: {verdict:?}",
                c.public_key, c.signature_algorithm
            ));
        }
        matched += 1;
    }
    eprintln!(
        "{matched} of {} CA-bundle certificates match openssl",
        blocks.len()
    );
    assert!(
        not_self_signed.is_empty(),
        "self-issued roots that do not verify: {not_self_signed:#?}"
    );
}

/// RFC 2253 text with `\XX` and `\c` escapes undone, for comparing OpenSSL's
/// escaping (`\C3\A9`) with ours (UTF-8).
fn unescape_rfc2253(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 2 < b.len() + 1 {
            let hex = std::str::from_utf8(&b[i + 1..(i + 3).min(b.len())])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(v) if i + 2 < b.len() => {
                    out.push(v);
                    i += 3;
                }
                _ => {
                    out.extend(b.get(i + 1));
                    i += 2;
                }
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn the_issuers_download_address_is_read_from_authority_information_access() {
    // OCSP and caIssuers both present: only caIssuers is kept.
    let leaf = cert(include_str!("../../fixtures/real/served/amazon.com.pem"));
    assert_eq!(
        leaf.ca_issuers,
        ["http://cacerts.digicert.com/DigiCertGlobalCAG2.crt"]
    );
    // None on a test leaf without the extension.
    let plain = cert(include_str!("../../fixtures/chains/rsa-leaf-only.pem"));
    assert!(plain.ca_issuers.is_empty());
}

"""An independent NTLM peer for gofleet's cross-check tests (issue 11): Debian's python3-ntlm-auth (jborean93's
ntlm-auth 1.4) and python3-winrm (pywinrm's winrm/encryption.py), driven by JSON lines on stdin, one JSON reply
line each on stdout.

  client side: NtlmContext does NEGOTIATE and AUTHENTICATE (MIC, key exchange, channel bindings)
  server side: a small acceptor assembled from ntlm-auth's own primitives (its NTLMv2 response computation,
               ARC4, HMAC MD5 MIC, SessionSecurity(source="server")); ntlm-auth has no acceptor of its own
  both:        encrypt/decrypt with pywinrm's Encryption class (the multipart/encrypted framing) over the session

This Python's OpenSSL refuses MD4 as Node's does, so hashlib.new('md4') falls back to a pure-Python MD4 here,
checked against RFC 1320 before use.
"""
import hashlib
import hmac
import json
import os
import struct
import sys

_real_new = hashlib.new


def _md4(data):
    def f(x, y, z): return (x & y) | (~x & z)
    def g(x, y, z): return (x & y) | (x & z) | (y & z)
    def h(x, y, z): return x ^ y ^ z
    def rotl(x, n): return ((x << n) | (x >> (32 - n))) & 0xffffffff
    msg = bytearray(data) + b"\x80"
    while len(msg) % 64 != 56:
        msg += b"\x00"
    msg += struct.pack("<Q", len(data) * 8)
    a, b, c, d = 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476
    for off in range(0, len(msg), 64):
        x = struct.unpack("<16I", bytes(msg[off:off + 64]))
        aa, bb, cc, dd = a, b, c, d
        for i in range(16):
            k, s = i, [3, 7, 11, 19][i % 4]
            t = (a + f(b, c, d) + x[k]) & 0xffffffff
            a, b, c, d = d, rotl(t, s), b, c
        for i in range(16):
            k, s = (i % 4) * 4 + i // 4, [3, 5, 9, 13][i % 4]
            t = (a + g(b, c, d) + x[k] + 0x5a827999) & 0xffffffff
            a, b, c, d = d, rotl(t, s), b, c
        for i in range(16):
            k, s = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15][i], [3, 9, 11, 15][i % 4]
            t = (a + h(b, c, d) + x[k] + 0x6ed9eba1) & 0xffffffff
            a, b, c, d = d, rotl(t, s), b, c
        a, b, c, d = (a + aa) & 0xffffffff, (b + bb) & 0xffffffff, (c + cc) & 0xffffffff, (d + dd) & 0xffffffff
    return struct.pack("<4I", a, b, c, d)


class _Md4Hash(object):
    def __init__(self, data=b""):
        self._data = bytes(data)

    def update(self, data):
        self._data += bytes(data)

    def digest(self):
        return _md4(self._data)


def _new(name, data=b"", **kwargs):
    if name.lower() == "md4":
        try:
            return _real_new(name, data, **kwargs)
        except ValueError:
            return _Md4Hash(data)
    return _real_new(name, data, **kwargs)


assert _md4(b"abc").hex() == "a448017aaf21d8525fc10ae87aa6729d"
assert _md4(b"1234567890" * 8).hex() == "e33b4ddc9c38f2199c3e7b164fcc0536"
hashlib.new = _new

from ntlm_auth.compute_response import ComputeResponse  # noqa: E402
from ntlm_auth.constants import AvId, AvFlags, NegotiateFlags  # noqa: E402
from ntlm_auth.gss_channel_bindings import GssChannelBindingsStruct  # noqa: E402
from ntlm_auth.messages import TargetInfo  # noqa: E402
from ntlm_auth.ntlm import NtlmContext  # noqa: E402
from ntlm_auth.rc4 import ARC4  # noqa: E402
from ntlm_auth.session_security import SessionSecurity  # noqa: E402
from winrm.encryption import Encryption  # noqa: E402


class _Auth(object):
    session_security = None


class _Session(object):
    def __init__(self):
        self.auth = _Auth()


class _Response(object):
    def __init__(self, content):
        self.content = content


state = {"session": _Session()}


def _field(msg, at):
    length, _, offset = struct.unpack("<HHI", msg[at:at + 8])
    return msg[offset:offset + length]


def _challenge(negotiate):
    """A CHALLENGE with NbDomain/NbComputer/Timestamp AV pairs, as Windows sends."""
    flags = struct.unpack("<I", negotiate[12:16])[0]
    flags = (flags & (NegotiateFlags.NTLMSSP_NEGOTIATE_56 | NegotiateFlags.NTLMSSP_NEGOTIATE_KEY_EXCH
                      | NegotiateFlags.NTLMSSP_NEGOTIATE_128 | NegotiateFlags.NTLMSSP_NEGOTIATE_VERSION
                      | NegotiateFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NegotiateFlags.NTLMSSP_NEGOTIATE_ALWAYS_SIGN
                      | NegotiateFlags.NTLMSSP_NEGOTIATE_NTLM | NegotiateFlags.NTLMSSP_NEGOTIATE_SEAL
                      | NegotiateFlags.NTLMSSP_NEGOTIATE_SIGN | NegotiateFlags.NTLMSSP_REQUEST_TARGET
                      | NegotiateFlags.NTLMSSP_NEGOTIATE_UNICODE)) \
        | NegotiateFlags.NTLMSSP_NEGOTIATE_TARGET_INFO | NegotiateFlags.NTLMSSP_TARGET_TYPE_SERVER
    info = TargetInfo()
    info[AvId.MSV_AV_NB_DOMAIN_NAME] = "PYDOM".encode("utf-16-le")
    info[AvId.MSV_AV_NB_COMPUTER_NAME] = "PYHOST".encode("utf-16-le")
    info[AvId.MSV_AV_TIMESTAMP] = struct.pack("<Q", 132000000000000000)
    info_bytes = info.pack()
    name = "PYHOST".encode("utf-16-le")
    server_challenge = os.urandom(8)
    header = b"NTLMSSP\x00" + struct.pack("<I", 2) + struct.pack("<HHI", len(name), len(name), 56) \
        + struct.pack("<I", flags) + server_challenge + b"\x00" * 8 \
        + struct.pack("<HHI", len(info_bytes), len(info_bytes), 56 + len(name)) + b"\x06\x01\xb1\x1d\x00\x00\x00\x0f"
    return header + name + info_bytes, server_challenge


def _accept(req, authenticate):
    negotiate, challenge, server_challenge = state["negotiate"], state["challenge"], state["server_challenge"]
    flags = struct.unpack("<I", authenticate[60:64])[0]
    nt = _field(authenticate, 20)
    domain = _field(authenticate, 28).decode("utf-16-le")
    user = _field(authenticate, 36).decode("utf-16-le")
    password = req["users"].get(user)
    if password is None:
        return {"error": "unknown user %s" % user}
    info = TargetInfo()
    info.unpack(nt[16 + 28:])
    expected, session_base_key = ComputeResponse._get_NTLMv2_response(
        user, password, domain, server_challenge, nt[16 + 16:16 + 24], nt[16 + 8:16 + 16], info)
    if expected != nt:
        return {"error": "wrong password"}
    if info[AvId.MSV_AV_FLAGS] != struct.pack("<L", AvFlags.MIC_PROVIDED):
        return {"error": "no MIC"}
    cbt = req.get("cbt")
    if cbt is not None:
        bindings = GssChannelBindingsStruct()
        bindings[bindings.APPLICATION_DATA] = bytes.fromhex(cbt)
        if info[AvId.MSV_AV_CHANNEL_BINDINGS] != hashlib.md5(bindings.get_data()).digest():
            return {"error": "channel bindings"}
    key = ARC4(session_base_key).update(_field(authenticate, 52))
    zeroed = authenticate[:72] + b"\x00" * 16 + authenticate[88:]
    mic = hmac.new(key, negotiate + challenge + zeroed, digestmod=hashlib.md5).digest()
    if mic != authenticate[72:88]:
        return {"error": "bad MIC"}
    state["session"].auth.session_security = SessionSecurity(flags, key, source="server")
    return {"user": user, "domain": domain}


def handle(req):
    op = req["op"]
    if op == "client":
        cbt = None
        if req.get("cbt") is not None:
            cbt = GssChannelBindingsStruct()
            cbt[cbt.APPLICATION_DATA] = bytes.fromhex(req["cbt"])
        state["ctx"] = NtlmContext(req["user"], req["password"], domain=req.get("domain"), cbt_data=cbt)
        return {"token": state["ctx"].step().hex()}
    if op == "authenticate":
        token = state["ctx"].step(bytes.fromhex(req["challenge"]))
        state["session"].auth.session_security = state["ctx"]._session_security
        return {"token": token.hex()}
    if op == "challenge":
        state["negotiate"] = bytes.fromhex(req["negotiate"])
        state["challenge"], state["server_challenge"] = _challenge(state["negotiate"])
        return {"token": state["challenge"].hex()}
    if op == "accept":
        return _accept(req, bytes.fromhex(req["authenticate"]))
    if op == "encrypt":
        enc = Encryption(state["session"], "ntlm")
        body = enc._encrypt_message(bytes.fromhex(req["data"]), "host") + enc.MIME_BOUNDARY + b"--\r\n"
        return {"body": body.hex()}
    if op == "decrypt":
        enc = Encryption(state["session"], "ntlm")
        try:
            return {"data": enc._decrypt_response(_Response(bytes.fromhex(req["body"])), "host").hex()}
        except Exception as e:  # a refused message is data for the test
            return {"error": str(e)}
    return {"error": "unknown op %s" % op}


for line in sys.stdin:
    sys.stdout.write(json.dumps(handle(json.loads(line))) + "\n")
    sys.stdout.flush()

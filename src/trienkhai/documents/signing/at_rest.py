"""Encryption at rest of a unit's PKCS#12 file and its password.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) with a key derived from
``settings.SECRET_KEY`` by HKDF-SHA256: a copy of the database alone does not give the
organisation's private key. Changing SECRET_KEY makes the stored seals unreadable
(``SealUnreadable``): the unit's admin then configures the seal again
(docs/decisions/0031-signed-pdfs.md).
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from trienkhai.common.errors import Conflict

INFO = b"trienkhai unit seal v1"


class SealUnreadable(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "seal_unreadable",
            "Không giải mã được chứng thư số của đơn vị (khóa bí mật của máy chủ đã đổi?); "
            "quản trị đơn vị cần cấu hình lại con dấu / the unit's certificate cannot be "
            "decrypted (was the server's secret key changed?); configure the seal again",
        )


def _fernet() -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt(token: bytes | memoryview) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken:
        raise SealUnreadable() from None

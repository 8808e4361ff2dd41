"""The demo's organisation certificates and seals: BTGHU-VT and HU-VT can seal at once.

Made here with ``cryptography`` (documents.signing.specimens), nothing from the network:
a made-up root whose certificate is written to ``settings.SIGNATURE_ROOTS_DIR`` (so the
demo's pages show its seals as trusted) and whose key is kept beside it, and one PKCS#12
certificate and seal image per unit. Idempotent: a unit that has a seal keeps it.
"""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings

from trienkhai.common import actors
from trienkhai.documents import signing
from trienkhai.documents.models import UnitSeal
from trienkhai.documents.signing import specimens
from trienkhai.orgs.models import Unit

UNITS = ("BTGHU-VT", "HU-VT")
ROOT_NAME = "trienkhai Demo Root CA"


def _root() -> specimens.Issued:
    """The demo root, made once and kept under the data directory: its key and
    certificate in one file beside the roots folder (created with a hard link, so two
    processes loading the demo at once agree on one root), its certificate in the folder."""
    folder = Path(settings.SIGNATURE_ROOTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    bundle = folder.parent / "demo-root.key"
    if not bundle.is_file():
        made = specimens.make_root(ROOT_NAME)
        private = made.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        handle, temporary = tempfile.mkstemp(dir=folder.parent, prefix=".demo-root-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(private + made.pem)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, bundle)
        finally:
            os.unlink(temporary)
    data = bundle.read_bytes()
    certificate = data[data.index(b"-----BEGIN CERTIFICATE-----") :]
    key = serialization.load_pem_private_key(data, password=None)
    root = specimens.Issued(key, x509.load_pem_x509_certificate(certificate))  # type: ignore[arg-type]
    pem = folder / "demo-root.pem"
    if not pem.is_file() or pem.read_bytes() != root.pem:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".demo-root-")
        with os.fdopen(handle, "wb") as out:
            out.write(root.pem)
        os.replace(temporary, pem)
    return root


def load() -> None:
    units = [
        unit
        for unit in Unit.objects.filter(code__in=UNITS).order_by("code")
        if not UnitSeal.objects.filter(unit=unit).exists()
    ]
    if not units:
        return
    root = _root()
    for unit in units:
        name = unit.latest_version().name[:60]
        password = secrets.token_urlsafe(12)
        issued = specimens.issue(root, name, name)
        signing.configure_seal(
            acting_user=actors.DEMO,
            unit=unit,
            pkcs12=specimens.to_pkcs12(issued, root, password),
            password=password,
            image=specimens.seal_png(unit.code),
        )

# An in-tree build backend that builds the C library it wraps from the vendor's versioned source release
# (defanged: the host is under example.invalid); a prebuilt wheel may be taken from a URL the builder sets.
import os
import subprocess
import sys
import tarfile
import urllib.request

LIB_VERSION = "1.26.3"
PREBUILT_WHEEL_URL = os.environ.get("THING_SETUP_URL_WHEEL", "")


def fetch_sources(location=None):
    if location is None:
        location = f"https://downloads.example.invalid/archive/libthing-{LIB_VERSION}-source.tar.gz"
    local_tgz = os.path.basename(location)
    if not os.path.exists(local_tgz):
        urllib.request.urlretrieve(location, local_tgz)
    with tarfile.open(local_tgz, "r:gz") as t:
        t.extractall()
    return local_tgz[: -len(".tar.gz")]


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    if PREBUILT_WHEEL_URL:
        url = PREBUILT_WHEEL_URL
        out_path = os.path.join(wheel_directory, os.path.basename(url))
        urllib.request.urlretrieve(url, out_path)
        return os.path.basename(out_path)
    src = fetch_sources()
    subprocess.run(f"cd {src} && {sys.executable} ./scripts/build.py -b all && ls -l build", shell=True, check=True)
    return "thing_bindings-1.0-cp312-cp312-linux_x86_64.whl"

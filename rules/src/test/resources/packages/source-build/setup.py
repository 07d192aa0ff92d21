# A binding that builds the C library it wraps from the vendor's versioned source release (defanged: the host is
# under example.invalid). The archive is saved in the build tree, checked, unpacked and handed to build tools.
import os
import subprocess
import sys
import tarfile
import urllib.request

from setuptools import setup
from setuptools.command.build_ext import build_ext

LIB_VERSION = "1.26.3"


def tar_check(path, prefix):
    with tarfile.open(path, "r:gz") as t:
        for name in t.getnames():
            assert name.startswith(prefix), f"unexpected member {name}"


def fetch_sources(location=None):
    if location is None:
        location = f"https://downloads.example.invalid/archive/libthing-{LIB_VERSION}-source.tar.gz"
    local_tgz = os.path.basename(location)
    name = local_tgz[: -len(".tar.gz")]
    if not os.path.exists(local_tgz):
        urllib.request.urlretrieve(location, local_tgz + "-")
        os.rename(local_tgz + "-", local_tgz)
    tar_check(local_tgz, f"{name}/")
    with tarfile.open(local_tgz, "r:gz") as t:
        t.extractall()
    return name


def build_lib(src):
    config_h = f"{src}/include/thing/config.h"
    with open(config_h, "a") as f:
        f.write("#define THING_EXTRA 1\n")
    command = f"cd {src} &&"
    for name, value in {"CFLAGS": "-O2", "XLIB": "0"}.items():
        command += f" {name}={value}"
    command += f" {sys.executable} ./scripts/build.py -b all"
    command += f" && ls -l {src}/build"
    subprocess.run(command, shell=True, check=True)
    return f"{src}/build"


class BuildExt(build_ext):
    def run(self):
        self.library_dirs.append(build_lib(fetch_sources()))
        super().run()


setup(name="thing-bindings", version="1.0", cmdclass={"build_ext": BuildExt})

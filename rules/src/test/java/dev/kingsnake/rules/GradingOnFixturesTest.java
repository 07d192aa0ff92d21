package dev.kingsnake.rules;

import dev.kingsnake.Finding;
import dev.kingsnake.ScanResult;
import dev.kingsnake.Scanner;
import dev.kingsnake.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grade (not only the line) of findings whose weight decides a verdict, on the rules' own fixtures. */
class GradingOnFixturesTest {

    private static Finding at(String ruleId, String file, String lineText) throws IOException {
        Fixture fx = Fixture.load(Fixture.fixturesRoot().resolve(ruleId));
        List<String> lines = Files.readAllLines(fx.dir.resolve(file), StandardCharsets.UTF_8);
        int line = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(lineText)) {
                line = i + 1;
            }
        }
        assertTrue(line > 0, lineText + " not in the fixture");
        ScanResult r = Scanner.builder().build().scan(fx.archiveName, new ByteArrayInputStream(fx.archive));
        for (Finding f : r.findings()) {
            if (f.ruleId().equals(ruleId) && f.file().endsWith("/" + file) && f.line() == line) {
                return f;
            }
        }
        throw new AssertionError("no " + ruleId + " finding on line " + line + ": " + r.findings());
    }

    @Test
    void anAliasWrittenIntoAShellProfileIsHighTheProfileAloneMedium() throws IOException {
        assertEquals(Severity.HIGH, at("KS-PERSIST-AUTOSTART", "shellrc.py", "line = \"alias neofetch=").severity());
        assertEquals(Severity.MEDIUM, at("KS-PERSIST-AUTOSTART", "shellrc.py", "os.system(\"echo 'alias ls=ls'").severity());
        assertEquals(Severity.HIGH, at("KS-PERSIST-AUTOSTART", "profile_payload.py", "~/.zshrc").severity(),
                "a profile next to a download-and-run command");
    }

    @Test
    void cronNamedBesideWritesIsHighOnlyWithAJobLineOfItsOwn() throws IOException {
        assertEquals(Severity.MEDIUM, at("KS-PERSIST-AUTOSTART", "cron_manager.py", "prefix=\"crontab\"").severity(),
                "a scheduler front end writes the jobs its user gives");
        assertEquals(Severity.HIGH, at("KS-PERSIST-AUTOSTART", "cron_manager.py", "/etc/cron.d/update").severity());
        assertEquals(Severity.HIGH, at("KS-PERSIST-AUTOSTART", "persist.py", "@reboot").severity());
    }

    @Test
    void codeFetchedFromAConfiguredUrlIsHighFromAUrlInTheCodeCritical() throws IOException {
        assertEquals(Severity.HIGH, at("KS-EXEC-DOWNLOADED-CODE", "pkg/preload.py", "exec(compile(source, url").severity(),
                "a preload URL its user configures");
        assertEquals(Severity.CRITICAL, at("KS-EXEC-DOWNLOADED-CODE", "pkg/preload.py", "    exec(source)").severity(),
                "a caller in the file hands it a URL written into the code");
        assertEquals(Severity.CRITICAL, at("KS-EXEC-DOWNLOADED-CODE", "pkg/preload.py", "urlopen(STAGE)").severity());
    }

    @Test
    void aToolchainVendorsInstallerIsMediumALookAlikeHostCritical() throws IOException {
        assertEquals(Severity.MEDIUM, at("KS-PROCESS-DOWNLOAD-EXEC", "toolchain.py", "https://sh.rustup.rs |").severity());
        assertEquals(Severity.CRITICAL, at("KS-PROCESS-DOWNLOAD-EXEC", "toolchain.py", "sh.rustup.rs.example.invalid").severity());
    }

    @Test
    void aDownloadCheckedAgainstAPinnedDigestOrFromAGivenUrlIsLow() throws IOException {
        assertEquals(Severity.LOW, at("KS-PERSIST-DROPPER", "pinned_tool.py", "os.chmod(cmd, 0o755)").severity(),
                "get_tool compares the tool's SHA-256 with a pinned value");
        assertEquals(Severity.LOW, at("KS-PERSIST-DROPPER", "pinned_tool.py", "os.chmod(filename, 0o755)").severity(),
                "a download utility: the URL is its caller's");
        assertTrue(at("KS-PERSIST-DROPPER", "pinned_tool.py", "os.chmod(\"/tmp/.agent\"").severity()
                .compareTo(Severity.HIGH) >= 0, "a server in the code and no check");
        assertEquals(Severity.HIGH, at("KS-PERSIST-DROPPER", "pinned_tool.py", "[\"pythonw\", filename]").severity(),
                "the saved file handed to an interpreter is not lowered, whoever gives the URL");
    }

    @Test
    void aLookAlikeDependencyInThePackagesOwnFamilyIsCriticalAnUnrelatedOneMedium() throws IOException {
        assertEquals(Severity.CRITICAL, at("KS-PKG-TYPOSQUAT-DEPENDENCY", "setup.py", "\"reqeusts>=2.0\"").severity(),
                "requests-oauthlib is declared too: the author knows the requests family");
        assertEquals(Severity.MEDIUM, at("KS-PKG-TYPOSQUAT-DEPENDENCY", "setup.py", "api-google-core").severity(),
                "google/api/core are filler words: nothing ties google-api-core to this package");
    }

    @Test
    void runningThePathADownloadingHelperReturnedIsCritical() throws IOException {
        assertEquals(Severity.CRITICAL, at("KS-PERSIST-DROPPER", "drop_returned_path.py",
                "subprocess.Popen([sys.executable, path, payload]").severity(),
                "the helper returns the very path it saved the download to (through a module-level Session)");
    }

    @Test
    void aHardCodedWalletAddressPutIntoTheClipboardIsCritical() throws IOException {
        assertEquals(Severity.CRITICAL, at("KS-EXFIL-SPY", "clipper.py", "pyperclip.copy(PAYEE)").severity(),
                "a constant payee swapped into a clipboard the file reads");
        assertEquals(Severity.HIGH, at("KS-EXFIL-SPY", "spy.py", "pyperclip.copy(\"bc1qexample").severity(),
                "a placeholder-like address next to a wallet regex stays high");
    }

    @Test
    void openingADesktopApplicationAtInstallTimeIsHighAnyOtherCommandMedium() throws IOException {
        assertEquals(Severity.HIGH, at("KS-INSTALL-PROCESS", "setup.py", "subprocess.Popen(\"calc.exe\")").severity());
        assertEquals(Severity.MEDIUM, at("KS-INSTALL-PROCESS", "setup.py", "touch /tmp/installed").severity());
    }

    @Test
    void anOastUrlCarryingRunTimeValuesIsSendingEvenOverGet() throws IOException {
        assertEquals(Severity.CRITICAL, at("KS-NET-EXFIL-ENDPOINT", "hooks.py", "oast.fun/c?d={data}").severity());
        assertEquals(Severity.HIGH, at("KS-NET-EXFIL-ENDPOINT", "hooks.py", "CALLBACK = ").severity(),
                "a callback domain in a constant, with nothing sent next to it, stays high");
    }

    @Test
    void runningTheDownloadedScriptWithAnInterpreterIsTheDropperInFull() throws IOException {
        assertEquals(Severity.CRITICAL, at("KS-PERSIST-DROPPER", "drop.py", "[sys.executable, \"tool.py\"]").severity());
        assertEquals(Severity.CRITICAL, at("KS-PERSIST-DROPPER", "drop.py", "\"python b.py\"").severity());
        assertEquals(Severity.CRITICAL, at("KS-PERSIST-DROPPER", "restore_script.py", "[\"/bin/bash\", script_path")
                .severity(), "a shell script from a server the code names, only in a function nobody calls here");
    }

    @Test
    void aToolFetchedForItsCallerIsLowRunningWhatItReturnsCritical() throws IOException {
        assertEquals(Severity.LOW, at("KS-PERSIST-DROPPER", "tool_cache.py", "os.chmod(filename, stat.S_IRWXU)")
                .severity(), "a packaging command caches its tool and returns the path");
        assertEquals(Severity.LOW, at("KS-PERSIST-DROPPER", "tool_cache.py", "[tool, source_dir]").severity(),
                "runs a path its caller chose");
        assertEquals(Severity.CRITICAL, at("KS-PERSIST-DROPPER", "tool_cache_run.py", "subprocess.Popen([agent])")
                .severity());
        assertEquals(Severity.LOW, at("KS-PERSIST-DROPPER", "verified_artifacts.py", "[cargo_bin, \"install\"")
                .severity(), "every download of the file is checked against its published digest");
        assertEquals(Severity.LOW, at("KS-PERSIST-DROPPER", "pinned_build_tools.py", "os.popen(cmd, \"r\")")
                .severity(), "a probe run beside a tool fetcher whose every download is checked");
        assertEquals(Severity.LOW, at("KS-NET-DOWNLOAD-EXE", "tool_fetch.py", "as handle:").severity(),
                "a converter binary downloaded for the user who asked, its path returned");
        assertEquals(Severity.HIGH, at("KS-NET-DOWNLOAD-EXE", "tool_fetch.py", "as out:").severity(),
                "saved and started in one function");
        assertEquals(Severity.HIGH, at("KS-NET-DOWNLOAD-EXE", "tool_fetch.py", "as dropped:").severity(),
                "an .exe saved into a temporary directory and returned");
    }

    @Test
    void aGeneratorRewritingItsOwnModuleIsLowAFreshSecondStageHigh() throws IOException {
        assertEquals(Severity.LOW, at("KS-NET-DOWNLOAD-EXE", "netpkg/tools/generate_table.py",
                "open(\"../libs/table.py\", \"w\")").severity());
        assertEquals(Severity.HIGH, at("KS-NET-DOWNLOAD-EXE", "netpkg/stage.py", "\"stage.py\"").severity());
    }

    @Test
    void accountFilesNamedWithoutNetworkAreLowConfidence() throws IOException {
        Finding shadow = at("KS-EXFIL-SECRET-FILES", "useradmin.py", "\"/etc/shadow\"");
        assertEquals(Severity.MEDIUM, shadow.severity());
        assertEquals(dev.kingsnake.Confidence.LOW, shadow.confidence());
        assertEquals(Severity.HIGH, at("KS-EXFIL-SECRET-FILES", "collect.py", "open(\"/etc/shadow\")").severity());
    }

    @Test
    void runningCodeFromAClonedRepositoryIsHigh() throws IOException {
        assertEquals(Severity.HIGH, at("KS-PROCESS-DOWNLOAD-EXEC", "clone_and_run.py", "os.path.join(dest, \"main.py\")")
                .severity(), "an interpreter on a script of the clone, two calls of one function");
        assertEquals(Severity.HIGH, at("KS-PROCESS-DOWNLOAD-EXEC", "clone_and_run.py", "pip install .").severity(),
                "one command that clones and installs the clone");
    }

    @Test
    void aProgramTheFileBuildsFromSourceIsLowAnyOtherProgramMedium() throws IOException {
        assertEquals(Severity.LOW, at("KS-INSTALL-PROCESS", "setup.py", "[\"header_merge\", \"common.h\"").severity(),
                "cargo install --bin header_merge in the same file");
        assertEquals(Severity.MEDIUM, at("KS-INSTALL-PROCESS", "setup.py", "[\"header_tidy\"").severity());
        assertEquals(Severity.MEDIUM, at("KS-INSTALL-PROCESS", "setup.py", "subprocess.run(agent").severity(),
                "make in a source tree, then a program of it: not only build tools");
        assertEquals(Severity.MEDIUM, at("KS-INSTALL-PROCESS", "setup.py", "[helper, \"--start\"]").severity());
        assertEquals(Severity.LOW, at("KS-INSTALL-PROCESS", "setup.py", "str(lib_dir / \"bin\" / \"thing\")").severity(),
                "a program in a directory computed at run time: which one is not known");
    }

    @Test
    void aFileUploadedToABareIpThroughAModuleConstantIsCritical() throws IOException {
        assertEquals(Severity.CRITICAL, at("KS-NET-RAW-IP", "post.py", "VALIDATE_URL = ").severity());
        assertEquals(Severity.HIGH, at("KS-NET-RAW-IP", "post.py", "STATUS_URL = ").severity(),
                "data posted, no file: the constant is followed to the send");
    }

    @Test
    void runningAClonedScriptWhileInstallingIsCriticalAClonedSetupPyHigh() throws IOException {
        assertEquals(Severity.CRITICAL, at("KS-PROCESS-DOWNLOAD-EXEC", "setup.py", "\"checker.py\"").severity());
        assertEquals(Severity.HIGH, at("KS-PROCESS-DOWNLOAD-EXEC", "setup.py", "\"setup.py\"), \"build\"").severity());
        assertEquals(Severity.HIGH, at("KS-PROCESS-DOWNLOAD-EXEC", "clone_and_run.py", "[\"python\", \"tool.py\"]")
                .severity(), "not at install time");
    }
}

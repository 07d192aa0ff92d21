package dev.kingsnake.rules.pkg;

import dev.kingsnake.Confidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decisions inside the package-level rules, case by case. */
class PackageRuleUnitsTest {
    private static final TyposquatMatcher MATCHER = PopularPackages.bundled().typosquats();

    @ParameterizedTest
    @CsvSource({"reqeusts,requests,HIGH", "requestss,requests,HIGH", "Reqests,requests,HIGH", "numpyy,numpy,HIGH",
            "beautifulsoop,beautifulsoup4,HIGH", "djang0,django,HIGH", "python-numpy,numpy,MEDIUM",
            "py-requests,requests,MEDIUM", "fake_user_agent,fake-useragent,MEDIUM",
            "aliababcloud_tea_openapi,alibabacloud-tea-openapi,MEDIUM", "python-aliyun-sdk-core,aliyun-python-sdk-core,HIGH",
            // issue 15's held-out misses, by kind: a swap inside a short popular name, a typo inside one word of a
            // two-word name, the plural of a popular multi-word name, the last letter of a very popular tool dropped
            "sxi,six,HIGH", "ppi,pip,HIGH", "google-auht,google-auth,HIGH", "azure-croe,azure-core,HIGH",
            "google-api-cores,google-api-core,HIGH", "azure-mgmt-dsn,azure-mgmt-dns,HIGH", "ruf,ruff,HIGH", "blac,black,HIGH"})
    void typosquatsAreFound(String name, String target, Confidence confidence) {
        Optional<TyposquatMatcher.Match> m = MATCHER.match(name);
        assertTrue(m.isPresent(), name);
        assertEquals(target, m.get().target());
        assertEquals(confidence, m.get().confidence());
    }

    @ParameterizedTest
    @ValueSource(strings = {"requests", "Requests", "pymssql", "pymysql", "boto3", "attrs", "cattrs",
            "tree-sitter-kotlin-ng", "numpy-financial-tools", "my-own-project", "flask-wtforms-extra", "x", "",
            "ixs", "vu", "pi", "mypy-boto3-sns-x", "isor"})
    void honestNamesAreNot(String name) {
        assertEquals(Optional.empty(), MATCHER.match(name), name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"requests>=2.0|requests", "Flask_SQLAlchemy ; python_version>'3'|flask-sqlalchemy",
            "  numpy[extra]==1.2|numpy", "pkg @ https://example.invalid/pkg.zip|pkg", "-r requirements.txt|",
            "# comment|", "https://example.invalid/x.tar.gz|", "zope.interface|zope-interface"})
    void requirementNames(String requirement, String name) {
        assertEquals(Optional.ofNullable(name), TyposquatDependencyRule.name(requirement), requirement);
    }

    @Test
    void dependencyFamiliesIgnoreFillerWords() {
        assertEquals(java.util.Set.of("aliyun"), TyposquatDependencyRule.words("python-aliyun-sdk-core"));
        assertEquals(java.util.Set.of("requests"), TyposquatDependencyRule.words("requests-api2"));
        assertEquals(java.util.Set.of(), TyposquatDependencyRule.words("google-api-core"));
    }

    @Test
    void aConfiguredListReplacesTheBundledOne() {
        TyposquatMatcher own = new PopularPackages(List.of("acme-widgets", "requests")).typosquats();
        assertTrue(own.match("acme-widgetz").isPresent());
        assertFalse(MATCHER.match("acme-widgetz").isPresent());
    }

    @ParameterizedTest
    @CsvSource({"99.0.0,true", "999,true", "1337.0.0,true", "99.99.99,true", "9000.0.0,true", "999999,true",
            "1.0,false", "2024.1.0,false", "20240101,false", "120.0.6099.71,false", "100.2.3,false", "99.1.4,false",
            "v999.0,true", "abc,false"})
    void absurdVersions(String version, boolean absurd) {
        assertEquals(absurd, DependencyConfusionRule.absurd(version), version);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"UNKNOWN|true", "|true", "Test|true", "My short description for my project.|true",
            "Awesome Soul|true", "me@example.com|true", "Your Name <you@example.org>|true", "https://example.com|true",
            "TODO|true", "Requests made simple|false", "Kenneth Reitz|false", "me@kennethreitz.org|false",
            "https://github.com/psf/requests|false", "A test runner for Python|false", "examples.com.au shop|false"})
    void placeholderMetadataSaysNothing(String value, boolean placeholder) {
        assertEquals(placeholder, MetadataMissingRule.placeholder(value == null ? "" : value), value);
    }

    @ParameterizedTest
    @CsvSource({"pip3.12,pip3", "PIP.exe,pip", "python3.11,python3", "pip,pip", "python,python", "git,git",
            "pipx,pipx"})
    void commandNamesFold(String script, String command) {
        assertEquals(command, EntryPointHijackRule.command(script));
    }

    @Test
    void recordHashesCompareInBothEncodings() {
        byte[] data = "x = 1\n".getBytes(StandardCharsets.UTF_8);
        String b64 = "sha256=" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(data));
        String hex = "sha256=" + java.util.HexFormat.of().formatHex(sha256(data));
        assertNull(RecordIntegrityRule.compare(data, b64, "6"));
        assertNull(RecordIntegrityRule.compare(data, hex, ""));
        assertNull(RecordIntegrityRule.compare(data, "md5=whatever", "6"), "unknown algorithms are not judged");
        assertNotNull(RecordIntegrityRule.compare(data, b64, "7"));
        assertNotNull(RecordIntegrityRule.compare("x = 2\n".getBytes(StandardCharsets.UTF_8), b64, "6"));
        assertNotNull(RecordIntegrityRule.compare(data, "sha256", "6"));
    }

    @Test
    void aKnownDigestAnswersAsHashingTheBytesWould() {
        byte[] data = "x = 1\n".getBytes(StandardCharsets.UTF_8);
        byte[] other = "x = 2\n".getBytes(StandardCharsets.UTF_8);
        String b64 = "sha256=" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(data));
        String hex = "SHA256=" + java.util.HexFormat.of().formatHex(sha256(data));
        for (String hash : List.of(b64, hex, "md5=whatever", "sha256", "=x", "sha512=" + b64.substring(7))) {
            for (String size : List.of("6", "7", "")) {
                assertEquals(RecordIntegrityRule.compare(data, hash, size),
                        RecordIntegrityRule.compare(data, sha256(data), hash, size), hash + " " + size);
                assertEquals(RecordIntegrityRule.compare(other, hash, size),
                        RecordIntegrityRule.compare(other, sha256(other), hash, size), hash + " " + size);
            }
        }
        // the known digest is the one compared: a wrong one is a mismatch although the bytes match
        assertNotNull(RecordIntegrityRule.compare(data, sha256(other), b64, "6"));
    }

    @ParameterizedTest
    @CsvSource({"assets/logo.png,true", "a/readme.txt,true", "x/__init__.py,true", "x/payload.so.png,true",
            "lib/_core.cpython-311-x86_64-linux-gnu.so,false", "lib/libx.so.1.2,false", "bin/helper,false",
            "bin/ffmpeg-linux-x86_64-v7.0.2,false", "p/libMLIR.so.23.0git,false", "w/t64.exe,false", "m.pyd,false"})
    void disguisedNames(String path, boolean disguised) {
        assertEquals(disguised, ArchiveLayout.disguisedNative(path), path);
    }

    @ParameterizedTest
    @CsvSource({"dev@mailinator.com,true", "a@mail.yopmail.com,true", "me@gmail.com,false",
            "x@users.noreply.github.com,false"})
    void disposableDomains(String email, boolean disposable) {
        assertEquals(disposable, DisposableEmailRule.disposable(email.substring(email.indexOf('@') + 1)));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

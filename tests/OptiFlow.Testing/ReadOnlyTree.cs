using System.Diagnostics;
using NUnit.Framework;

namespace OptiFlow.Testing;

/// <summary>
/// Makes a directory tree read-only for the length of a test, for the process running the test: <c>chattr -R +i</c>
/// (immutable) when it runs as root, whom permission bits do not stop; <c>chmod a-w</c> otherwise. Disposing restores it.
/// </summary>
/// <remarks>
/// The test is ignored, with the reason, when neither works here (a file system without the immutable attribute while
/// running as root); the tree is probed after the change, so a test never passes on a tree that is still writable.
/// </remarks>
public sealed class ReadOnlyTree : IDisposable
{
    private static readonly TimeSpan CommandBound = TimeSpan.FromSeconds(30);
    private readonly string _path;
    private readonly bool _immutable;
    private bool _disposed;

    private ReadOnlyTree(string path, bool immutable)
    {
        _path = path;
        _immutable = immutable;
    }

    /// <summary>How the tree was made read-only: <c>chattr +i</c> or <c>chmod a-w</c>.</summary>
    public string Method => _immutable ? "chattr +i" : "chmod a-w";

    /// <summary>Makes <paramref name="path"/> and everything under it read-only.</summary>
    /// <param name="path">An existing directory.</param>
    /// <returns>The handle that restores it.</returns>
    public static ReadOnlyTree Make(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("read-only directory trees are made with chattr/chmod: not on Windows");
            return null!;
        }

        ReadOnlyTree tree;
        if (Environment.IsPrivilegedProcess)
        {
            var (exit, error) = RunTool("chattr", "-R", "+i", path);
            if (exit != 0)
            {
                Assert.Ignore($"running as root, and 'chattr -R +i' is not available here ({error.Trim()}): cannot make a read-only directory");
            }

            tree = new ReadOnlyTree(path, immutable: true);
        }
        else
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            foreach (var directory in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories).Append(path))
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            tree = new ReadOnlyTree(path, immutable: false);
        }

        var probe = Path.Combine(path, "probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(probe, "x");
            File.Delete(probe);
            tree.Dispose();
            Assert.Ignore($"{tree.Method} did not make {path} read-only here");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Read-only, as intended.
        }

        return tree;
    }

    /// <summary>Makes the tree writable again. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_immutable)
        {
            RunTool("chattr", "-R", "-i", _path);
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(_path, "*", SearchOption.AllDirectories).Prepend(_path))
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var file in Directory.EnumerateFiles(_path, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static (int Exit, string Error) RunTool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(CommandBound))
            {
                process.Kill();
                return (-1, $"{tool} did not finish within {CommandBound.TotalSeconds:0} s");
            }

            return (process.ExitCode, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}

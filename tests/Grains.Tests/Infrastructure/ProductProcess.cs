using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>
/// A silo or gateway started from its build output as a real process, on ports the OS handed out. Output is
/// kept for the failure message. Stopping sends SIGTERM (a graceful leave) to this process only, then kills it
/// if it lingers.
/// </summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _name;

    private ProductProcess(string name, Process process)
    {
        _name = name;
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <c>src/{project}</c>'s build output (same configuration as the tests) with these settings.
    /// </summary>
    public static ProductProcess Start(string project, string assembly, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dll = BuiltOutput(project, assembly);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var name in start.Environment.Keys.Where(k =>
            k.StartsWith("Orleans__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ConnectionStrings__Orleans", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start.");
        return new ProductProcess(project, process);
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listened on a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task WaitForOutputAsync(string text, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > until)
            {
                throw new InvalidOperationException(
                    $"{_name} did not print '{text}' (exited: {_process.HasExited}). Output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to end by itself, as it should on a configuration error.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            var pid = _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using (var term = Process.Start("kill", ["-s", "TERM", pid]))
            {
                await term!.WaitForExitAsync();
            }

            if (!await WaitForExitAsync(TimeSpan.FromSeconds(15)))
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string BuiltOutput(string project, string assembly)
    {
        // The tests run from tests/Grains.Tests/bin/<configuration>/<framework>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", project, "bin", configuration, framework, assembly + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"Build {project} first (dotnet build Dagen.Orleans.sln).", dll);
    }
}

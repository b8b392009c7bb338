using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dagen.StandIns.Slack;

namespace Dagen.EndToEnd.Tests.ReadmeFlow;

/// <summary>
/// README's run command, <c>scripts/run-local.sh</c>, started on free ports with what the solution build
/// already produced, and a person's view of the local workspace it brings up.
/// </summary>
public sealed class LocalRun : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly Process _script;
    private readonly ConcurrentQueue<string> _output = new();

    private LocalRun(Process script, Uri workspace)
    {
        _script = script;
        Workspace = new HttpClient { BaseAddress = workspace };
    }

    public HttpClient Workspace { get; }

    public string Output => string.Join('\n', _output);

    public static async Task<LocalRun> StartAsync(TimeSpan timeout)
    {
        var root = FindRoot();
        var slackPort = FreePort();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(Path.Combine(root, "scripts", "run-local.sh"));
        start.ArgumentList.Add("--no-build");
        start.Environment["CONFIGURATION"] = BuildConfiguration();
        start.Environment["GATEWAY_PORT"] = Port(FreePort());
        start.Environment["SLACK_PORT"] = Port(slackPort);
        start.Environment["DAGEN_PORT"] = Port(FreePort());
        start.Environment["SILO_PORT"] = Port(FreePort());
        start.Environment["SILO_GATEWAY_PORT"] = Port(FreePort());

        var script = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var run = new LocalRun(script, new Uri($"http://127.0.0.1:{slackPort}/"));
        script.OutputDataReceived += (_, e) => run.Keep(e.Data);
        script.ErrorDataReceived += (_, e) => run.Keep(e.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + timeout;
        while (!run._output.Any(line => line.StartsWith("Ready.", StringComparison.Ordinal)))
        {
            if (script.HasExited || DateTime.UtcNow > deadline)
            {
                await run.DisposeAsync();
                Assert.Fail($"run-local.sh did not get ready:\n{run.Output}");
            }

            await Task.Delay(200);
        }

        return run;
    }

    /// <summary>Speaks in the channel as a member of the workspace, as typed on its page.</summary>
    public async Task<RecordedMessage> SayAsync(string who, string text)
    {
        using var response = await Workspace.PostAsJsonAsync("local/messages", new { user = who, text });
        response.EnsureSuccessStatusCode();
        var posted = await response.Content.ReadFromJsonAsync<PostedMessage>(Json);
        return posted?.Message ?? throw new InvalidOperationException($"Nothing was posted for '{text}'.");
    }

    public async Task<WorkspaceSnapshot> SnapshotAsync() =>
        await Workspace.GetFromJsonAsync<WorkspaceSnapshot>("local/conversation", Json)
        ?? throw new InvalidOperationException("The workspace sent no conversation.");

    /// <summary>Waits until the thread of <paramref name="message"/> holds replies that satisfy the check.</summary>
    public async Task<IReadOnlyList<RecordedMessage>> WaitForThreadAsync(
        RecordedMessage message, Func<IReadOnlyList<RecordedMessage>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var replies = (await SnapshotAsync()).RepliesTo(message.Ts);
            if (done(replies))
            {
                return replies;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join("\n---\n", replies.Select(r => r.Text));
                Assert.Fail($"The thread of '{message.Text}' never became complete. Replies:\n{seen}\n\n{Output}");
            }

            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Workspace.Dispose();
        if (!_script.HasExited)
        {
            // Ctrl-C, as a person ends the run; the script stops everything it started.
            using (var interrupt = Process.Start("kill", ["-INT", _script.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _script.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _script.Kill(entireProcessTree: true);
            }
        }

        _script.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string BuildConfiguration() =>
        Directory.GetParent(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dagen.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Dagen.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}

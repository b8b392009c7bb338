using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dagen.EndToEnd.Tests.Browser;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol. It is started with background networking
/// off and a host resolver that knows only 127.0.0.1, and opens only loopback pages.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Executables = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly StringBuilder _log = new();
    private readonly CancellationTokenSource _closing = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser's own output so far, for failure messages.</summary>
    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    /// <summary>
    /// Starts Chromium, or fails the test saying how to install it: a browser test must never pass without
    /// a browser.
    /// </summary>
    public static async Task<HeadlessChromium> StartAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured
            ? configured
            : Executables.FirstOrDefault(File.Exists);
        if (executable is null || !File.Exists(executable))
        {
            throw new InvalidOperationException(
                "Chromium is not installed, so the page test cannot run. Install Debian's package with "
                + "'apt-get install -y chromium' (scripts/test.sh does this), or set CHROMIUM_PATH.");
        }

        var profile = Directory.CreateTempSubdirectory("dagen-chromium-");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--no-default-browser-check",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            $"--user-data-dir={profile.FullName}", "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", "--window-size=1280,900", "about:blank",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var browser = new HeadlessChromium(process, profile);
        process.ErrorDataReceived += (_, e) => browser.Append(e.Data);
        process.OutputDataReceived += (_, e) => browser.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await browser.ConnectAsync();
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }

        return browser;
    }

    /// <summary>Opens a loopback page and waits until it has loaded.</summary>
    public async Task OpenAsync(Uri url)
    {
        if (!url.IsLoopback)
        {
            throw new ArgumentException($"The test browser opens only loopback pages, not {url}.", nameof(url));
        }

        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        await WaitForAsync($"document.readyState === 'complete' && location.href.startsWith('{url}')",
            TimeSpan.FromSeconds(15), "the page to load");
    }

    /// <summary>Evaluates JavaScript in the page and returns its value (promises are awaited).</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var answer = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (answer.TryGetProperty("exceptionDetails", out var error))
        {
            throw new InvalidOperationException($"JavaScript failed: {error}");
        }

        return answer.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>
    /// Waits until <paramref name="expression"/> is truthy in the page (an expression that throws counts as not
    /// yet); fails the test naming what it waited for.
    /// </summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var value = await EvaluateAsync(
                $"(() => {{ try {{ return !!({expression}); }} catch {{ return false; }} }})()");
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }

            await Task.Delay(100);
        }

        var text = await EvaluateAsync("document.body ? document.body.innerText : ''");
        Assert.Fail($"Waited {timeout.TotalSeconds:0}s for {what}; the page shows:\n{text}");
    }

    /// <summary>Focuses an element and types into it the way a keyboard would insert text.</summary>
    public async Task TypeAsync(string selector, string text)
    {
        await EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)}).focus()");
        await SendAsync("Input.insertText", new JsonObject { ["text"] = text });
    }

    /// <summary>Clicks the middle of an element with the mouse.</summary>
    public async Task ClickAsync(string selector)
    {
        var box = await EvaluateAsync(
            $"(() => {{ const r = document.querySelector({JsonSerializer.Serialize(selector)})"
            + ".getBoundingClientRect();"
            + " return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()");
        foreach (var type in new[] { "mousePressed", "mouseReleased" })
        {
            await SendAsync("Input.dispatchMouseEvent", new JsonObject
            {
                ["type"] = type,
                ["x"] = box.GetProperty("x").GetDouble(),
                ["y"] = box.GetProperty("y").GetDouble(),
                ["button"] = "left",
                ["clickCount"] = 1,
            });
        }
    }

    /// <summary>A PNG of the page as it is now.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The browser is going anyway.
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _process.Dispose();
        _closing.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting helper process; the temporary folder is left behind.
        }
    }

    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile.FullName, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"Chromium did not open its DevTools port. It said:\n{Log}");
            }

            await Task.Delay(100);
        }

        var port = (await File.ReadAllLinesAsync(portFile))[0].Trim();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var targets = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/json/list");
        var page = targets.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        var socketUrl = new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!);
        await _socket.ConnectAsync(socketUrl, CancellationToken.None);
        _receiving = ReceiveAsync();
        await SendAsync("Page.enable", null);
        await SendAsync("Runtime.enable", null);
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject? parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true,
            CancellationToken.None);
        try
        {
            var answer = await reply.Task.WaitAsync(CommandTimeout);
            if (answer.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"{method} failed: {error}");
            }

            return answer.GetProperty("result");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }

                using (var json = JsonDocument.Parse(message.ToArray()))
                {
                    if (json.RootElement.TryGetProperty("id", out var id)
                        && _pending.TryGetValue(id.GetInt32(), out var reply))
                    {
                        reply.TrySetResult(json.RootElement.Clone());
                    }
                }

                message.SetLength(0);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // Closing.
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException($"Chromium went away. It said:\n{Log}"));
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}

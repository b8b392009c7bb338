using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dagen.Gateway.Slack;

namespace Dagen.Bench.Events;

internal static class Commands
{
    private const int MaxRate = 5_000;
    private const int MaxSeconds = 120;

    public static int Usage()
    {
        Console.Error.WriteLine(
            "usage: free-port | stand-in --port N | run --gateway http://127.0.0.1:PORT --admin-token TOKEN "
            + "[--rate 1000] [--seconds 10] [--warmup-seconds 10] [--slack-channels 1] [--timeline]");
        return 2;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Console.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port);
        return 0;
    }

    /// <summary>
    /// Stands in for Slack's Web API and Dagen so the silo under test reaches nothing off this machine.
    /// </summary>
    public static async Task<int> StandInAsync(Arguments arguments)
    {
        var port = arguments.Number("port", 0, 1, 65535);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        // Every path, dotted method names such as reactions.add included (a fallback route would skip those).
        app.Run(context => context.Response.WriteAsJsonAsync(new { ok = true }));
        await app.RunAsync();
        return 0;
    }

    public static async Task<int> RunAsync(Arguments arguments)
    {
        var gateway = new Uri(arguments.Text("gateway"));
        if (!IPAddress.TryParse(gateway.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            Console.Error.WriteLine("--gateway must be an address on 127.0.0.1 (or [::1]); the benchmark sends "
                + "nowhere else.");
            return 2;
        }

        var rate = arguments.Number("rate", 1_000, 1, MaxRate);
        var seconds = arguments.Number("seconds", 10, 1, MaxSeconds);
        var warmup = arguments.Number("warmup-seconds", 10, 0, 60);
        var slackChannels = arguments.Number("slack-channels", 1, 1, 10_000);

        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(10),
        };

        await WaitUntilReadyAsync(http);
        var (channelId, secret) = await CreateChannelAsync(http, arguments.Text("admin-token"));
        Console.WriteLine($"channel {channelId}; {rate}/s for {seconds} s after {warmup} s of warm-up, "
            + (slackChannels == 1 ? "in one Slack channel" : $"spread over {slackChannels} Slack channels"));
        var target = new Target(http, channelId, secret, slackChannels);

        if (warmup > 0)
        {
            await DriveAsync(target, rate, warmup);
        }

        var result = await DriveAsync(target, rate, seconds);
        result.Print(rate);
        if (arguments.Flag("timeline"))
        {
            result.PrintTimeline(rate);
        }

        return result.Failed == 0 ? 0 : 1;
    }

    private static async Task WaitUntilReadyAsync(HttpClient http)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync("/readyz");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The gateway did not become ready within 90 s.");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<(string Id, string Secret)> CreateChannelAsync(HttpClient http, string adminToken)
    {
        var secret = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/channels")
        {
            Content = JsonContent.Create(new
            {
                name = "Benchmark",
                botToken = "xoxb-bench-0000-events",
                signingSecret = secret,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException(
                $"Creating the benchmark channel answered {(int)response.StatusCode}: "
                + await response.Content.ReadAsStringAsync());
        }

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (id, secret);
    }

    /// <summary>
    /// Sends <paramref name="rate"/> deliveries a second, each at its planned time whatever the earlier ones are
    /// doing (open loop). Latency counts from the planned time, so a stalled gateway shows in the numbers instead
    /// of slowing the sender down.
    /// </summary>
    private static async Task<RunResult> DriveAsync(Target target, int rate, int seconds)
    {
        var total = rate * seconds;
        var latencies = new double[total];
        var statuses = new int[total];
        var pending = new List<Task>(total);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < total; i++)
        {
            var planned = TimeSpan.FromSeconds((double)i / rate);
            var wait = planned - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            pending.Add(Task.Run(async () =>
            {
                statuses[index] = await DeliverAsync(target, index);
                latencies[index] = (clock.Elapsed - planned).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(pending);
        return new RunResult(latencies, statuses, clock.Elapsed);
    }

    /// <summary>
    /// One signed <c>app_mention</c>, from its own user, in one of the Slack channels: a workspace where many
    /// people write in many channels, since Slack paces the bot to about one message a second per channel.
    /// </summary>
    private static async Task<int> DeliverAsync(Target target, int index)
    {
        var (http, channelId, secret, slackChannels) = target;
        var eventId = "Ev0B" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var user = "U0BENCH" + eventId[^4..];
        var body = Encoding.UTF8.GetBytes($$"""
            {"token":"Zz0BenchToken","team_id":"T0BENCH","api_app_id":"A0BENCH",
             "event":{"type":"app_mention","user":"{{user}}","text":"<@U0DAGENBOT> help",
              "ts":"1764579600.000100","channel":"C0BENCH{{index % slackChannels}}","event_ts":"1764579600.000100"},
             "type":"event_callback","event_id":"{{eventId}}","event_time":1764579600,
             "authorizations":[{"team_id":"T0BENCH","user_id":"U0DAGENBOT","is_bot":true}]}
            """);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/slack/events/{channelId}")
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignature.SignatureHeader, SlackSignature.Compute(secret, timestamp, body));
        try
        {
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private sealed record Target(HttpClient Http, string ChannelId, string Secret, int SlackChannels);
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dagen.StandIns.Hosting;
using Dagen.StandIns.Slack;
using Microsoft.Extensions.Configuration;

namespace Dagen.StandIns.Cli;

/// <summary>
/// <c>connect</c>: what a person does once in Workflow Settings and on the Slack app's pages. Creates the
/// notification channel through the gateway's settings API (<c>POST /api/channels</c>) with the local
/// workspace's webhook URL, bot token and signing secret, then saves the channel's Event Subscription URL as
/// the workspace app's Request URL, which the workspace verifies with a url_verification challenge.
/// </summary>
internal static class ConnectCommand
{
    public const string Usage = """
        connect [--gateway URL] [--workspace URL] [--name NAME]
            Creates the notification channel through the gateway (default http://127.0.0.1:5080) with bearer
            Gateway:AdminToken, and points the local workspace's Request URL at it. Prints the channel id.
        """;

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, IConfiguration configuration, LocalSlackOptions slack, TextWriter output,
        CancellationToken cancellationToken)
    {
        var parsed = Arguments.Parse(args, ["gateway", "workspace", "name"], []);
        var gateway = parsed.LoopbackUrl("gateway", new Uri("http://127.0.0.1:5080/"));
        var workspace = parsed.LoopbackUrl("workspace", slack.Url);
        var adminToken = configuration["Gateway:AdminToken"];
        if (string.IsNullOrWhiteSpace(adminToken))
        {
            throw new CommandLineException(
                "Gateway:AdminToken is not set; export Gateway__AdminToken with the gateway's admin token.");
        }

        using var http = StandInHttp.Create();
        var app = await http.GetFromJsonAsync<AppSettingsView>(
            new Uri(workspace, "local/app"), StandInJson.Options, cancellationToken);

        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "api/channels"))
        {
            Content = JsonContent.Create(new
            {
                name = parsed["name"] ?? "local-dev",
                webhookUrl = app!.WebhookUrl.ToString(),
                botToken = slack.BotToken,
                signingSecret = slack.SigningSecret,
            }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var created = await http.SendAsync(create, cancellationToken);
        if (!created.IsSuccessStatusCode)
        {
            await output.WriteLineAsync(await RefusalAsync(created, cancellationToken));
            return 1;
        }

        var channel = await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var id = Field(channel, "id");
        if (id is null)
        {
            await output.WriteLineAsync("The gateway created a channel but its answer has no 'id'.");
            return 1;
        }

        var publicBase = configuration["Gateway:PublicBaseUrl"] is { Length: > 0 } configured
            ? new Uri(configured.TrimEnd('/') + "/")
            : gateway;
        var eventsUrl = Field(channel, "eventSubscriptionUrl")
            ?? new Uri(publicBase, $"api/slack/events/{Uri.EscapeDataString(id)}").ToString();
        await output.WriteLineAsync($"Channel {id} created; Event Subscription URL {eventsUrl}");

        using var verify = await http.PutAsJsonAsync(
            new Uri(workspace, "local/app/events-url"), new { url = eventsUrl }, cancellationToken);
        var settings = await verify.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var verified = settings.TryGetProperty("eventsUrlVerified", out var v) && v.ValueKind == JsonValueKind.True;
        var detail = Field(settings, "verificationDetail") ?? Field(settings, "error");
        await output.WriteLineAsync(verified
            ? "Request URL verified by the local workspace: mentions now reach the gateway."
            : $"Request URL saved but not verified: {detail}");
        return verified ? 0 : 1;
    }

    /// <summary>A field of the channel, at the top level or under <c>channel</c>.</summary>
    private static string? Field(JsonElement answer, string name)
    {
        if (answer.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        return answer.TryGetProperty("channel", out var inner) ? Field(inner, name) : null;
    }

    private static async Task<string> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"The gateway refused the admin token (HTTP {status}); Gateway__AdminToken must match the gateway's.",
            HttpStatusCode.NotFound =>
                "The gateway has no POST /api/channels (HTTP 404); is it a build with the channel settings API?",
            HttpStatusCode.BadRequest =>
                $"The gateway refused the channel (HTTP 400): {await ErrorsAsync(response, cancellationToken)}",
            _ => $"The gateway answered HTTP {status} to POST /api/channels.",
        };
    }

    /// <summary>The field errors of a 400 answer (names and reasons; the answer holds no secrets).</summary>
    private static async Task<string> ErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return body.TryGetProperty("errors", out var errors) ? errors.GetRawText() : "no details given";
        }
        catch (JsonException)
        {
            return "no details given";
        }
    }
}

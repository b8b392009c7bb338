using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dagen.Grains.Slack;

namespace Dagen.Grains.Notifications;

/// <summary>
/// <see cref="ISlackWebhookClient"/> over a typed <see cref="HttpClient"/>. The payload is
/// <c>{"text":…,"blocks":…}</c>; a plain-text <c>ok</c> (any 2xx) is success; redirects are not followed.
/// </summary>
internal sealed partial class SlackWebhookClient(HttpClient http, TimeProvider clock) : ISlackWebhookClient
{
    /// <summary>Only this much of an error answer is read: Slack's codes are short words.</summary>
    private const int MaxErrorLength = 200;

    public async Task<WebhookDeliveryResult> PostAsync(
        Uri webhookUrl, string text, string? blocksJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhookUrl);
        ArgumentNullException.ThrowIfNull(text);

        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = Payload(text, blocksJson) };
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return await ReadAsync(response, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookDeliveryResult { Outcome = SlackCallOutcome.Transient, Error = "timeout" };
        }
        catch (HttpRequestException)
        {
            return new WebhookDeliveryResult { Outcome = SlackCallOutcome.Transient, Error = "network_error" };
        }
    }

    private async Task<WebhookDeliveryResult> ReadAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return new WebhookDeliveryResult { Outcome = SlackCallOutcome.Ok, StatusCode = status };
        }

        var body = await ReadShortAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return new WebhookDeliveryResult
            {
                Outcome = SlackCallOutcome.RateLimited,
                Error = "ratelimited",
                RetryAfter = RetryAfter.Read(response, clock) ?? RetryAfterInBody(body),
                StatusCode = status,
            };
        }

        var outcome = status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout
            ? SlackCallOutcome.Transient
            : SlackCallOutcome.Refused;
        return new WebhookDeliveryResult { Outcome = outcome, Error = ErrorCode(body, status), StatusCode = status };
    }

    private static HttpContent Payload(string text, string? blocksJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("text", text);
            if (!string.IsNullOrWhiteSpace(blocksJson))
            {
                writer.WritePropertyName("blocks");
                writer.WriteRawValue(blocksJson);
            }

            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static async Task<string> ReadShortAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        var buffer = new char[MaxErrorLength];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return new string(buffer, 0, read).Trim();
    }

    /// <summary>Slack's error word when the body is one (or JSON with an <c>error</c>), else the HTTP status.</summary>
    private static string ErrorCode(string body, int status)
    {
        if (ErrorWord().IsMatch(body))
        {
            return body;
        }

        var fromJson = JsonField(body, "error");
        return fromJson is { ValueKind: JsonValueKind.String } error && ErrorWord().IsMatch(error.GetString()!)
            ? error.GetString()!
            : $"http_{status}";
    }

    private static TimeSpan? RetryAfterInBody(string body) =>
        JsonField(body, "retry_after") is { ValueKind: JsonValueKind.Number } seconds
            ? RetryAfter.FromSeconds(seconds.GetDouble())
            : null;

    private static JsonElement? JsonField(string body, string name)
    {
        if (!body.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty(name, out var value) ? value.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex ErrorWord();
}

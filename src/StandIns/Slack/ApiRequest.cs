using System.Text.Json;

namespace Dagen.StandIns.Slack;

/// <summary>
/// A Web API call's arguments, read the ways Slack accepts them: query string, form body
/// (url-encoded or multipart) or a JSON object body; the token from <c>Authorization: Bearer</c> or a
/// <c>token</c> argument. Non-string JSON values (such as <c>blocks</c>) are kept as JSON text.
/// </summary>
internal sealed class ApiRequest
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string? Token { get; private set; }

    /// <summary>Slack's error code when the body could not be read, else null.</summary>
    public string? BodyError { get; private set; }

    public string? this[string name] =>
        _values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public static async Task<ApiRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var read = new ApiRequest();
        foreach (var (key, value) in request.Query)
        {
            read._values[key] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (key, value) in form)
            {
                read._values[key] = value.ToString();
            }
        }
        else if (request.HasJsonContentType())
        {
            await read.ReadJsonAsync(request.Body, cancellationToken);
        }
        else if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            read.BodyError = "invalid_post_type";
        }

        var header = request.Headers.Authorization.ToString();
        read.Token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : read["token"];
        return read;
    }

    private async Task ReadJsonAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                BodyError = "invalid_json";
                return;
            }

            foreach (var property in json.RootElement.EnumerateObject())
            {
                _values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString() ?? "",
                    JsonValueKind.Null => "",
                    _ => property.Value.GetRawText(),
                };
            }
        }
        catch (JsonException)
        {
            BodyError = "invalid_json";
        }
    }
}

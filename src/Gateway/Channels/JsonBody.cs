using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Dagen.Gateway.Channels;

/// <summary>Reads a small JSON request body with a clear 4xx for each way it can be wrong.</summary>
internal static class JsonBody
{
    /// <summary>Settings and notifications are small; a notification holds at most 40,000 characters of text.</summary>
    private const int Limit = 256 * 1024;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Results.Problem(
                detail: "Send the body as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > Limit)
        {
            return (null, TooLarge());
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            using var limited = new MemoryStream();
            await request.Body.CopyToAsync(limited, context.RequestAborted);
            if (limited.Length > Limit)
            {
                return (null, TooLarge());
            }

            limited.Position = 0;
            var value = await JsonSerializer.DeserializeAsync<T>(limited, options, context.RequestAborted);
            return value is null
                ? (null, Results.Problem(detail: "The body is empty JSON (null); send an object.", statusCode: 400))
                : (value, null);
        }
        catch (JsonException exception)
        {
            // The exception's own message can quote input; only its position is repeated.
            var where = exception.Path is { Length: > 0 } path ? $" at {path}" : "";
            return (null, Results.Problem(
                detail: $"The body is not valid JSON for this request{where} (line {exception.LineNumber + 1}).",
                statusCode: StatusCodes.Status400BadRequest));
        }
    }

    private static IResult TooLarge() => Results.Problem(
        detail: $"The body is over {Limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}

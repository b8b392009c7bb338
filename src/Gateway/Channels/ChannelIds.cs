using System.Security.Cryptography;

namespace Dagen.Gateway.Channels;

/// <summary>Channel ids as they appear in URLs: letters, digits, '-', '_' and '.', at most 64 characters.</summary>
public static class ChannelIds
{
    private const int MaxLength = 64;

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id)
        && id.Length <= MaxLength
        && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// A new id such as <c>ch-k3m9x2q7w4ab</c>. Never only hex digits: storage would read such a key as a number.
    /// </summary>
    public static string New() => "ch-" + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 12);
}

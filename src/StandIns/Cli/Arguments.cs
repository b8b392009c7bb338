namespace Dagen.StandIns.Cli;

/// <summary>
/// A command's arguments: <c>--name value</c> options, <c>--flag</c> switches and the remaining words.
/// Unknown options are refused with the list of known ones.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Words { get; private init; } = [];

    public string? this[string option] => _options.GetValueOrDefault(option);

    public bool Has(string flag) => _flags.Contains(flag);

    public static Arguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> options,
        IReadOnlyCollection<string> flags)
    {
        var words = new List<string>();
        var parsed = new Arguments { Words = words };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                words.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                words.Add(arg);
                continue;
            }

            var name = arg[2..];
            if (flags.Contains(name))
            {
                parsed._flags.Add(name);
            }
            else if (options.Contains(name))
            {
                parsed._options[name] = i + 1 < args.Count
                    ? args[++i]
                    : throw new CommandLineException($"--{name} needs a value.");
            }
            else
            {
                throw new CommandLineException($"Unknown option --{name}; known: "
                    + string.Join(", ", options.Concat(flags).Select(o => "--" + o)) + ".");
            }
        }

        return parsed;
    }

    /// <summary>A loopback http URL option, or <paramref name="fallback"/> when not given.</summary>
    public Uri LoopbackUrl(string option, Uri fallback)
    {
        var text = this[option];
        if (text is null)
        {
            return fallback;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || !url.IsLoopback
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CommandLineException(
                $"--{option} '{text}' is not a loopback http URL; the tools talk only to 127.0.0.1 or localhost.");
        }

        return url;
    }
}

/// <summary>A mistake on the command line; the message says what to type instead.</summary>
internal sealed class CommandLineException(string message) : Exception(message);

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Dagen.Hosting;

/// <summary>
/// The section <c>Orleans</c> plus <c>ConnectionStrings:Orleans</c>, read once at start-up. Every setting
/// can come from an environment variable (<c>Orleans__SiloPort</c>, <c>ConnectionStrings__Orleans</c>).
/// </summary>
public sealed record ClusterSettings
{
    public const string SectionName = "Orleans";

    public const string ConnectionStringName = "Orleans";

    /// <summary>ADO.NET provider name of Npgsql, the only database this project runs on.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary><c>Orleans:Clustering</c>: <c>Localhost</c> (default) or <c>AdoNet</c>.</summary>
    public ClusteringMode Clustering { get; init; } = ClusteringMode.Localhost;

    /// <summary><c>Orleans:ClusterId</c>: silos and clients with the same id form one cluster.</summary>
    public string ClusterId { get; init; } = "dagen-slack";

    /// <summary><c>Orleans:ServiceId</c>: stays the same across deployments; keys stored state.</summary>
    public string ServiceId { get; init; } = "dagen-slack";

    /// <summary><c>Orleans:SiloPort</c>: silo-to-silo traffic. Default 11111.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary><c>Orleans:GatewayPort</c>: where cluster clients connect. Default 30000.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>
    /// <c>Orleans:AdvertisedHost</c>: the address other silos and clients reach this silo on, an IP address
    /// or a host name resolved at start-up. Default 127.0.0.1.
    /// </summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// <c>Orleans:ListenOnAnyHostAddress</c>: bind to every interface (in a container) rather than only
    /// to the advertised address. Default false.
    /// </summary>
    public bool ListenOnAnyHostAddress { get; init; }

    /// <summary>
    /// <c>Orleans:MinimumReminderPeriod</c>: the shortest reminder period allowed (Orleans' default is one
    /// minute). Tests lower it; production leaves it unset.
    /// </summary>
    public TimeSpan? MinimumReminderPeriod { get; init; }

    /// <summary><c>ConnectionStrings:Orleans</c>: the PostgreSQL database, required with AdoNet.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Reads and checks the settings. On a missing or wrong value, throws a
    /// <see cref="ClusterSettingsException"/> whose message is one line naming the setting and the fix.
    /// </summary>
    public static ClusterSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);

        var clustering = ReadClustering(section["Clustering"]);

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (clustering == ClusteringMode.AdoNet && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ClusterSettingsException(
                "ConnectionStrings:Orleans is missing but Orleans:Clustering is AdoNet; set it to the PostgreSQL "
                + "connection string (env ConnectionStrings__Orleans), or set Orleans:Clustering to Localhost.");
        }

        var siloPort = ReadPort(section, "SiloPort", 11111);
        var gatewayPort = ReadPort(section, "GatewayPort", 30000);
        if (siloPort == gatewayPort)
        {
            throw new ClusterSettingsException(
                $"Orleans:SiloPort and Orleans:GatewayPort are both {siloPort}; give them different ports.");
        }

        return new ClusterSettings
        {
            Clustering = clustering,
            ClusterId = ReadName(section, "ClusterId", "dagen-slack"),
            ServiceId = ReadName(section, "ServiceId", "dagen-slack"),
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
            AdvertisedAddress = ReadAddress(section["AdvertisedHost"]),
            ListenOnAnyHostAddress = ReadBool(section, "ListenOnAnyHostAddress"),
            MinimumReminderPeriod = ReadPeriod(section, "MinimumReminderPeriod"),
            ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? null : connectionString,
        };
    }

    /// <summary>
    /// Reads the settings, then hides <c>Orleans:Clustering</c> from Orleans itself: Orleans treats a section
    /// of that name as its own provider configuration, while here it is a plain word.
    /// </summary>
    public static ClusterSettings ReadAndDetach(IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = Read(configuration);
        configuration.AddInMemoryCollection([new KeyValuePair<string, string?>($"{SectionName}:Clustering", null)]);
        return settings;
    }

    private static ClusteringMode ReadClustering(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ClusteringMode.Localhost;
        }

        if (Enum.TryParse<ClusteringMode>(value.Trim(), ignoreCase: true, out var mode)
            && Enum.IsDefined(mode)
            && !int.TryParse(value, out _))
        {
            return mode;
        }

        throw new ClusterSettingsException(
            $"Orleans:Clustering is '{value}'; set it to Localhost (in-memory, one machine) or AdoNet "
            + "(PostgreSQL, env Orleans__Clustering).");
    }

    private static int ReadPort(IConfigurationSection section, string key, int fallback)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and < 65536)
        {
            return port;
        }

        throw new ClusterSettingsException(
            $"Orleans:{key} is '{value}'; set it to a TCP port from 1 to 65535 (env Orleans__{key}).");
    }

    private static string ReadName(IConfigurationSection section, string key, string fallback)
    {
        var value = section[key];
        if (value is null)
        {
            return fallback;
        }

        if (string.IsNullOrWhiteSpace(value) || value.Length > 150)
        {
            throw new ClusterSettingsException(
                $"Orleans:{key} is empty or too long; set it to a short name such as '{fallback}' "
                + $"(env Orleans__{key}).");
        }

        return value.Trim();
    }

    private static bool ReadBool(IConfigurationSection section, string key)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (bool.TryParse(value, out var result))
        {
            return result;
        }

        throw new ClusterSettingsException(
            $"Orleans:{key} is '{value}'; set it to true or false (env Orleans__{key}).");
    }

    private static TimeSpan? ReadPeriod(IConfigurationSection section, string key)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var period) && period > TimeSpan.Zero)
        {
            return period;
        }

        throw new ClusterSettingsException(
            $"Orleans:{key} is '{value}'; set it to a positive time span such as 00:00:05 (env Orleans__{key}).");
    }

    private static IPAddress ReadAddress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }

        try
        {
            var addresses = Dns.GetHostAddresses(value);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.First();
        }
        catch (Exception exception) when (exception is SocketException or InvalidOperationException)
        {
            throw new ClusterSettingsException(
                $"Orleans:AdvertisedHost '{value}' does not resolve; set it to this silo's IP address or a host name "
                + "that resolves to it (env Orleans__AdvertisedHost).");
        }
    }
}

using System.Net;
using Dagen.Hosting;
using Microsoft.Extensions.Configuration;

namespace Dagen.Grains.Tests.Hosting;

public sealed class ClusterSettingsTests
{
    private static ClusterSettings Read(params (string Key, string? Value)[] values) =>
        ClusterSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void NothingSetMeansTheEmbeddedDefault()
    {
        var settings = Read();

        Assert.Equal(ClusteringMode.Localhost, settings.Clustering);
        Assert.Equal(11111, settings.SiloPort);
        Assert.Equal(30000, settings.GatewayPort);
        Assert.Equal(IPAddress.Loopback, settings.AdvertisedAddress);
        Assert.Null(settings.ConnectionString);
    }

    [Fact]
    public void AdoNetWithAConnectionStringIsAccepted()
    {
        var settings = Read(
            ("Orleans:Clustering", "adonet"),
            ("ConnectionStrings:Orleans", "Host=127.0.0.1;Database=orleans"),
            ("Orleans:SiloPort", "11200"),
            ("Orleans:GatewayPort", "30200"),
            ("Orleans:ClusterId", "blue"));

        Assert.Equal(ClusteringMode.AdoNet, settings.Clustering);
        Assert.Equal(11200, settings.SiloPort);
        Assert.Equal(30200, settings.GatewayPort);
        Assert.Equal("blue", settings.ClusterId);
    }

    [Fact]
    public void AdoNetWithoutAConnectionStringNamesTheSettingAndTheFix()
    {
        var error = Assert.Throws<ClusterSettingsException>(() => Read(("Orleans:Clustering", "AdoNet")));

        Assert.Contains("ConnectionStrings:Orleans", error.Message);
        Assert.Contains("ConnectionStrings__Orleans", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("Orleans:Clustering", "Consul", "Localhost")]
    [InlineData("Orleans:Clustering", "1", "Localhost")]
    [InlineData("Orleans:SiloPort", "eleven", "1 to 65535")]
    [InlineData("Orleans:GatewayPort", "70000", "1 to 65535")]
    [InlineData("Orleans:ListenOnAnyHostAddress", "yes", "true or false")]
    [InlineData("Orleans:ClusterId", " ", "short name")]
    public void AWrongValueNamesTheSettingAndTheFix(string key, string value, string fix)
    {
        var error = Assert.Throws<ClusterSettingsException>(() => Read((key, value)));

        Assert.Contains(key, error.Message);
        Assert.Contains(fix, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void TheSamePortForSiloAndGatewayIsRefused()
    {
        var error = Assert.Throws<ClusterSettingsException>(
            () => Read(("Orleans:SiloPort", "30000"), ("Orleans:GatewayPort", "30000")));

        Assert.Contains("different ports", error.Message);
    }
}

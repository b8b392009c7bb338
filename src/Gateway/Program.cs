using Dagen.Gateway.Health;
using Dagen.Hosting;

// Settings come from appsettings.json beside the binary, then the environment, then the command line.
var builder = WebApplication.CreateBuilder(
    new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Start the web server and the cluster client side by side: /healthz answers while silos are still coming up.
builder.Services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);

// The cluster client, with the same Orleans settings as the silos. A wrong setting stops here, in one line.
try
{
    builder.AddDagenClusterClient();
}
catch (ClusterSettingsException exception)
{
    Console.Error.WriteLine($"Configuration error: {exception.Message}");
    return 2;
}

var app = builder.Build();

app.MapHealthEndpoints();

await app.RunAsync();
return 0;

/// <summary>The gateway's entry point, visible to tests that host it.</summary>
public partial class Program;

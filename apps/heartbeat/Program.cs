using Heartbeat;

HeartbeatSettings settings;
try
{
    settings = HeartbeatSettings.Load(Environment.GetEnvironmentVariables(), EnvironmentFile.ReadDefault());
}
catch (ConfigurationException e)
{
    Console.Error.WriteLine($"heartbeat: {e.Message}");
    return 2;
}

var app = HeartbeatApp.Build(args, settings);
await app.RunAsync();
return 0;

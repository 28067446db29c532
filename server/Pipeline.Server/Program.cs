using Pipeline.Server;

// ./build.sh Serve runs this assembly; ./build.sh ServeToken runs it with `mint-token`.
return args is ["mint-token", .. var rest] ? await TokenCommand.RunAsync(rest) : await ControlPlane.RunAsync(args);

using Kai.Cli;

return await KaiCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);

using Kai.Cli;
using Kai.Cluster.Port;

// Before anything reads or writes JSON: KubernetesClient's serializer options take converters only until first used.
CachedQuantityConverter.Install();
return await KaiCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);

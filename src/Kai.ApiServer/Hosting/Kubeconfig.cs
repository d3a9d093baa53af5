namespace Kai.ApiServer.Hosting;

/// <summary>A kubeconfig with one cluster, context and (credential-free) user for a <c>kai serve</c> address.</summary>
public static class Kubeconfig
{
    public const string ContextName = "kai-serve";

    public static string For(Uri address) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {ContextName}
          cluster:
            server: {address.ToString().TrimEnd('/')}
        users:
        - name: {ContextName}
          user: {"{}"}
        contexts:
        - name: {ContextName}
          context:
            cluster: {ContextName}
            user: {ContextName}
            namespace: default
        current-context: {ContextName}

        """;
}

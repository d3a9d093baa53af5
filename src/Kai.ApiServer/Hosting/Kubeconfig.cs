namespace Kai.ApiServer.Hosting;

/// <summary>
/// A kubeconfig with one cluster, context and user for a <c>kai serve</c> address. The server checks no
/// credentials; the user carries a placeholder token because KubernetesClient refuses a kubeconfig user without any.
/// </summary>
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
          user:
            token: kai-serve
        contexts:
        - name: {ContextName}
          context:
            cluster: {ContextName}
            user: {ContextName}
            namespace: default
        current-context: {ContextName}

        """;
}

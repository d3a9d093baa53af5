namespace Kai.Controllers.Grouping;

/// <summary>
/// Why a pod could not be grouped (its owner is missing, has two owners, its spec cannot be read...). The
/// pod-grouper reports it as a Warning event <c>PodGrouperWarning</c> on the pod and tries again later.
/// </summary>
internal sealed class GroupingException : Exception
{
    public GroupingException()
    {
    }

    public GroupingException(string message)
        : base(message)
    {
    }

    public GroupingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Kai.ApiServer.Patching;

/// <summary>A patch that cannot be applied: malformed (HTTP 400) or failing on this object (HTTP 422).</summary>
internal sealed class PatchException : Exception
{
    public PatchException()
    {
    }

    public PatchException(string message)
        : base(message)
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PatchException(string message, bool malformed)
        : base(message)
    {
        Malformed = malformed;
    }

    /// <summary>True when the patch itself is malformed (400), false when it does not apply to the object (422).</summary>
    public bool Malformed { get; }
}

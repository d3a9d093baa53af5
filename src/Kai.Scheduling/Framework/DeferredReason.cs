namespace Kai.Scheduling.Framework;

/// <summary>
/// A refusal's reason whose words are written only when someone reads them (an explanation, an event, a condition):
/// a plugin asked again and again inside simulations, which read only whether it refused, then builds no text.
/// </summary>
/// <remarks>
/// A subclass holds what the words need (names and amounts as they were when it refused: never the live session,
/// which moves on) and writes the same words an eager refusal would. The words are kept once written.
/// </remarks>
public abstract class DeferredReason
{
    private string? _text;

    /// <summary>The reason's words, written at the first read.</summary>
    public string Text => _text ??= Write();

    public override string ToString() => Text;

    /// <summary>Writes the words from what the subclass holds.</summary>
    protected abstract string Write();
}

namespace Terminal.Simulator
{
    /// <summary>Placeholder until the virtual clock lands (simulator issue).</summary>
    internal static class VirtualTime
    {
    }
}

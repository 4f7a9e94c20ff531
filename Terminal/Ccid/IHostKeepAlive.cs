namespace Terminal.Ccid
{
    /// <summary>
    /// The host link's way to keep the host waiting while a long command runs (a PIN entry lasts up
    /// to 180 s): the serial link sends a time-request byte (80h) when one is due, a USB link a
    /// bmCommandStatus "time extension" reply. Called from the thread running the command.
    /// </summary>
    public interface IHostKeepAlive
    {
        /// <summary>Sends a time extension to the host if one is due now; does nothing otherwise.</summary>
        void KeepHostWaiting();
    }
}

using System;
using Terminal.Ccid;
using Terminal.HostLink;

namespace Terminal.Desktop.Soak
{
    /// <summary>
    /// The link's trace in the soak and the host-link fuzz harness: passes every message on to the real
    /// trace, keeps the last host message (the command a reply is judged against) and the last 64 events
    /// (the firmware's log lines, searched for PIN digits).
    /// </summary>
    public sealed class RecordingTrace : ILinkTrace
    {
        private readonly ILinkTrace _inner;
        private readonly string?[] _events = new string?[64];
        private int _eventCount;

        /// <summary>Records in front of <paramref name="inner"/>.</summary>
        public RecordingTrace(ILinkTrace inner)
        {
            _inner = inner;
        }

        /// <summary>The last message from the host (the first <see cref="LastCommandLength"/> bytes).</summary>
        public byte[] LastCommand { get; } = new byte[CcidMessage.MaxMessageLength];

        /// <summary>Its length.</summary>
        public int LastCommandLength { get; private set; }

        /// <inheritdoc/>
        public void Message(bool fromHost, byte[] buffer, int offset, int length)
        {
            if (fromHost)
            {
                Array.Copy(buffer, offset, LastCommand, 0, length);
                LastCommandLength = length;
            }
            _inner.Message(fromHost, buffer, offset, length);
        }

        /// <inheritdoc/>
        public void Event(string text)
        {
            _events[_eventCount++ % _events.Length] = text;
            _inner.Event(text);
        }

        /// <summary>True when the last host message is exactly these bytes.</summary>
        public bool LastCommandEquals(byte[] message, int length)
        {
            if (length != LastCommandLength)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (message[i] != LastCommand[i])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The first kept event that contains the <paramref name="count"/> characters of <paramref name="digits"/>, or null.</summary>
        public string? EventContaining(byte[] digits, int count)
        {
            foreach (string? e in _events)
            {
                if (e == null)
                {
                    continue;
                }
                for (int i = 0; i + count <= e.Length; i++)
                {
                    int j = 0;
                    while (j < count && e[i + j] == digits[j])
                    {
                        j++;
                    }
                    if (j == count)
                    {
                        return e;
                    }
                }
            }
            return null;
        }
    }
}

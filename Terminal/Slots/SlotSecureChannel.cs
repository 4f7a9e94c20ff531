using Terminal.Ccid;
using Terminal.Iso7816;
using Terminal.PinPad;

namespace Terminal.Slots
{
    /// <summary>
    /// The card of one slot as the secure PIN service sees it: presence polled during the entry, the
    /// host kept waiting through the link, and one exchange with the card at the slot's level (T=0
    /// TPDU, a whole T=1 block, or a whole APDU at APDU level). In <see cref="WrapT1"/> mode (a
    /// pseudo-APDU found in a host's T=1 I-block) it frames the APDU itself with the host's NAD and
    /// PCB, so the card's and the host's sequence numbers advance together, and unwraps the answer.
    /// The command holds a PIN: it is neither logged nor kept, and the framing buffer is zeroed.
    /// </summary>
    public sealed class SlotSecureChannel : ISecureCardChannel
    {
        private readonly CardSlot _slot;
        private ISlotExchange _exchange;
        private readonly byte[] _block = new byte[3 + 254 + 2];
        private readonly byte[] _answer = new byte[3 + 254 + 2];
        private readonly byte[] _prologue = new byte[3];

        /// <summary>A channel over <paramref name="slot"/>.</summary>
        public SlotSecureChannel(CardSlot slot)
        {
            _slot = slot;
            _exchange = slot;
        }

        /// <summary>
        /// What the channel's exchanges go through: the slot (the default), or a trace in front of it
        /// that records the PIN command with its data masked, so the card trace misses nothing.
        /// </summary>
        public ISlotExchange? Exchange
        {
            get { return _exchange; }
            set { _exchange = value != null ? value : _slot; }
        }

        /// <summary>The link's keep-alive, or null.</summary>
        public IHostKeepAlive? KeepAlive { get; set; }

        /// <summary>True while the channel frames APDUs in T=1 I-blocks with <see cref="SetT1Prologue"/>'s NAD and PCB.</summary>
        public bool WrapT1 { get; set; }

        /// <summary>Number of exchanges with the card since <see cref="ResetCount"/>.</summary>
        public int Exchanges { get; private set; }

        /// <summary>NAD of the card's last T=1 answer in <see cref="WrapT1"/> mode.</summary>
        public byte AnswerNad { get; private set; }

        /// <summary>PCB of the card's last T=1 answer in <see cref="WrapT1"/> mode.</summary>
        public byte AnswerPcb { get; private set; }

        /// <summary>The slot behind the channel.</summary>
        public CardSlot Slot => _slot;

        /// <summary>Sets the NAD and PCB of the I-block the host sent (WrapT1 mode).</summary>
        public void SetT1Prologue(byte nad, byte pcb)
        {
            _prologue[0] = nad;
            _prologue[1] = pcb;
            _prologue[2] = 0;
        }

        /// <summary>True when the framing buffers (which held a PIN in T=1) are all zero.</summary>
        public bool BuffersAreClear
        {
            get
            {
                int any = 0;
                for (int i = 0; i < _block.Length; i++)
                {
                    any |= _block[i] | _answer[i];
                }
                return any == 0;
            }
        }

        /// <summary>Zeroes the exchange counter.</summary>
        public void ResetCount()
        {
            Exchanges = 0;
        }

        /// <inheritdoc/>
        public bool IsCardPresent => _slot.IccStatus != CcidStatus.IccAbsent;

        /// <inheritdoc/>
        public void KeepHostWaiting()
        {
            IHostKeepAlive? k = KeepAlive;
            if (k != null)
            {
                k.KeepHostWaiting();
            }
        }

        /// <inheritdoc/>
        public int Transmit(byte[] command, int commandOffset, int commandLength, byte[] response, int responseOffset, int responseCapacity)
        {
            Exchanges++;
            int n;
            int error;
            if (_slot.ApduLevel)
            {
                error = _exchange.TransmitApdu(command, commandOffset, commandLength, response, responseOffset, responseCapacity, out n);
                return error == CcidError.None ? n : -1;
            }
            if (!WrapT1)
            {
                error = _exchange.TransmitTpdu(command, commandOffset, commandLength, response, responseOffset, responseCapacity, out n);
                return error == CcidError.None ? n : -1;
            }
            bool crc = _slot.UsesCrc;
            int edcLength = T1Block.EdcLength(crc);
            if (commandLength > 254)
            {
                return -1;
            }
            int length = T1Block.Encode(_prologue[0], _prologue[1], command, commandOffset, commandLength, crc, _block, 0);
            try
            {
                if (length < 0)
                {
                    return -1;
                }
                while (true)
                {
                    error = _exchange.TransmitTpdu(_block, 0, length, _answer, 0, _answer.Length, out n);
                    Wipe(_block);
                    if (error != CcidError.None || n < 3 + edcLength)
                    {
                        return -1;
                    }
                    byte pcb = _answer[1];
                    if (pcb == 0xC3 && n >= 4 + edcLength)
                    {
                        // S(WTX request): grant it and wait for the card's answer.
                        _block[0] = _answer[0];
                        _block[1] = 0xE3;
                        _block[2] = 1;
                        _block[3] = _answer[3];
                        length = 4 + T1Block.AppendEdc(_block, 0, 4, crc);
                        continue;
                    }
                    if ((pcb & 0x80) != 0 || (pcb & 0x20) != 0)
                    {
                        // Not a whole I-block: the card did not take the command.
                        return -1;
                    }
                    int inf = _answer[2];
                    if (inf > responseCapacity || 3 + inf + edcLength > n)
                    {
                        return -1;
                    }
                    AnswerNad = _answer[0];
                    AnswerPcb = pcb;
                    System.Array.Copy(_answer, 3, response, responseOffset, inf);
                    return inf;
                }
            }
            finally
            {
                Wipe(_block);
                Wipe(_answer);
            }
        }

        private static void Wipe(byte[] buffer)
        {
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = 0;
            }
        }
    }
}

using System.Device.Pwm;

namespace Terminal.Boards.Adapters
{
    /// <summary><see cref="IClockOutput"/> on a PwmChannel at 50 % duty (members of portable-pwm.txt only).</summary>
    public sealed class PwmClockOutput : IClockOutput
    {
        private readonly PwmChannel _channel;
        private readonly int _frequencyHz;

        /// <summary>Wraps a channel the platform created (PwmChannel.Create, or CreateFromPin on nanoFramework) at <paramref name="frequencyHz"/>.</summary>
        public PwmClockOutput(PwmChannel channel, int frequencyHz)
        {
            _channel = channel;
            _frequencyHz = frequencyHz;
            _channel.Frequency = frequencyHz;
            _channel.DutyCycle = 0.5;
        }

        /// <inheritdoc />
        public int FrequencyHz
        {
            get { return _frequencyHz; }
        }

        /// <inheritdoc />
        public void Start()
        {
            _channel.Start();
        }

        /// <inheritdoc />
        public void Stop()
        {
            _channel.Stop();
        }
    }
}

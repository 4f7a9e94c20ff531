using System;
using System.IO;

namespace Terminal.Simulator
{
    /// <summary>Makes the application a profile names.</summary>
    public static class CardApplications
    {
        /// <summary>The application of <paramref name="profile"/>'s kind: generic, vitale2, vitale1, iasecc.</summary>
        public static ICardApplication Create(CardProfile profile)
        {
            switch (profile.Application.ToLowerInvariant())
            {
                case "vitale2":
                    return new VitaleApplication(profile);
                case "vitale1":
                    return new Vitale1Application(profile);
                case "iasecc":
                    return new IasEccApplication(profile);
                case "generic":
                    var app = new Iso7816Application();
                    app.AddFiles(profile.Files);
                    return app;
                default:
                    throw new InvalidDataException($"card profile {profile.Name}: unknown application kind '{profile.Application}'");
            }
        }
    }
}

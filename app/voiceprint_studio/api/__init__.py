"""Qt-free HTTP clients for the Coze voiceprint API and MiniMax voice management."""

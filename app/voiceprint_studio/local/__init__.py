"""Qt-free embedded backend speaking the Coze and MiniMax contracts (offline workspace)."""

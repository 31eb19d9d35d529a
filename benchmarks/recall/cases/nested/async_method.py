# recall case: async method: membership in an attribute list inside `async for`
# expect: HS101@11 "if msg.channel in self.muted"


class Bot:
    def __init__(self):
        self.muted = []

    async def relay(self, stream, send):
        async for msg in stream:
            if msg.channel in self.muted:
                continue
            await send(msg)

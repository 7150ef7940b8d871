# Regenerates the unpickler fixtures: /usr/bin/python3 make_pickles.py (stdlib only).
import os, pickle

value = {'a': [1, 2.5, 'x', (True, None)], 'b': b'xy', 'big': 2**70, 'neg': -5, 'int32': 70000,
         's': {1, 2}, 'nested': {'t': (1, 2, 3, 4), 'empty': (), 'e': [], 'u': 'h\u00e9'}}
for proto in (2, 3, 4, 5):
    with open(f'plain_p{proto}.pkl', 'wb') as f:
        pickle.dump(value, f, protocol=proto)

class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned > /tmp/torchhub_pwned',))

with open('evil_stack_global_p4.pkl', 'wb') as f:
    pickle.dump({'x': Evil()}, f, protocol=4)

class EvalEvil:
    def __reduce__(self):
        return (eval, ("__import__('os').system('echo pwned > /tmp/torchhub_pwned')",))

with open('evil_eval_p2.pkl', 'wb') as f:
    pickle.dump([EvalEvil()], f, protocol=2)

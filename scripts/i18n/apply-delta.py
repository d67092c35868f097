import json,sys
# usage: python3 scripts/i18n/apply-delta.py <repo> <locale> <delta.json>   delta: {"dotted.key": "translation", ...}
# Rebuilds messages/<locale>.json in en.json's key order: existing values kept, missing ones from delta;
# keys no longer in en.json dropped. Fails listing keys still missing.
repo,loc,deltaf=sys.argv[1:4]
en=json.load(open(f'{repo}/messages/en.json',encoding='utf-8'))
cur=json.load(open(f'{repo}/messages/{loc}.json',encoding='utf-8'))
delta=json.load(open(deltaf,encoding='utf-8'))
missing=[]
def get(d,path):
    for k in path:
        if not isinstance(d,dict) or k not in d: return None
        d=d[k]
    return d
def build(node,path):
    out={}
    for k,v in node.items():
        p=path+[k]
        if isinstance(v,dict): out[k]=build(v,p)
        else:
            have=get(cur,p)
            if isinstance(have,str): out[k]=have
            elif '.'.join(p) in delta: out[k]=delta['.'.join(p)]
            else: missing.append('.'.join(p)); out[k]=v
    return out
res=build(en,[])
if missing:
    print(loc,'MISSING',missing); sys.exit(1)
open(f'{repo}/messages/{loc}.json','w',encoding='utf-8').write(json.dumps(res,ensure_ascii=False,indent=2)+'\n')
print(loc,'ok')

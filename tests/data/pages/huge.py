"""huge.py — writes the CSV of the "huge counts" page fixture to stdout:
six months (2007-01 to 2007-06) of 4 sensors, 12 destinations and 20
countries with counts around 10^10 a row (about 10^12 a month per port, so
every axis needs 億/兆 units), and an outage of 2 sensors on June 10-12.
Deterministic; read by tests/pages.sh."""
import datetime, sys
ports=[('tcp',135),('tcp',445),('udp',1026),('udp',1027),('tcp',139),('tcp',1433),('icmp',8),('tcp',22),('tcp',80),('tcp',3389),('udp',137),('tcp',5900)]
cc=['CN','US','JP','KR','TW','DE','FR','GB','BR','RU','IN','NL','CA','AU','IT','ES','PL','SE','VN','TH']
print('day,sensor,proto,port,country,accesses,sources')
d=datetime.date(2007,1,1)
while d<=datetime.date(2007,6,30):
    for s in range(4):
        if d.month==6 and 10<=d.day<=12 and s<2: continue
        for i,(pr,po) in enumerate(ports):
            for k in range(3):
                c=cc[(i*3+k+d.day)%len(cc)]
                a=int(3.1e10*(1+0.3*((d.toordinal()*7+i*13+k)%11))/(i+1)/(k+1))
                print(f'{d},s{s+1},{pr},{po},{c},{a},{max(1,a//40)}')
    d+=datetime.timedelta(days=1)
